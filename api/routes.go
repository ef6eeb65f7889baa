package api

// routes registers the application routes beyond health and metrics.
func (s *Server) routes() error {
	v1 := s.engine.Group("/api/v1")
	v1.GET("/codes/:code/form", s.apiForm)
	v1.POST("/codes/:code/responses", s.apiSubmit)
	if err := s.respondentRoutes(); err != nil {
		return err
	}
	return s.consoleRoutes()
}
