package server

// mount adds the stateful services to the router.
func (s *Server) mount() error {
	return nil
}
