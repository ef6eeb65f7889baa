package api

// consoleRoutes registers the console's pages and its JSON API (accounts,
// counties, surveys, frames, plans, codes, progress, reports, audit).
func (s *Server) consoleRoutes() error {
	return nil
}
