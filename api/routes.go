package api

// routes registers the application routes beyond health and metrics.
func (s *Server) routes() error {
	return nil
}
