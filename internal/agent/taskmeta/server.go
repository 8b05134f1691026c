package taskmeta

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// ErrClosed is returned by Listen after Close.
var ErrClosed = errors.New("taskmeta: server closed")

// Server serves a handler on chosen addresses only: the task network's
// gateway, the Docker bridge gateway and 127.0.0.1, never a wildcard.
// Listen may be called again to add addresses as networks appear.
type Server struct {
	srv *http.Server
	log *slog.Logger

	mu     sync.Mutex
	closed bool
	addrs  []net.Addr
	wg     sync.WaitGroup
}

// NewServer returns a server for h, typically Handler(src, log). A nil
// log discards.
func NewServer(h http.Handler, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		log: log,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      statsTimeout + 5*time.Second,
			IdleTimeout:       60 * time.Second,
			MaxHeaderBytes:    8 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		},
	}
}

// Listen binds each host:port and serves on it. The host must be an IP
// address that is not unspecified (0.0.0.0 or ::). Either every address
// is bound or, on error, none of this call's are.
func (s *Server) Listen(addrs []string) error {
	for _, a := range addrs {
		if err := checkAddr(a); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	var ls []net.Listener
	for _, a := range addrs {
		l, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range ls {
				_ = l.Close()
			}
			return fmt.Errorf("taskmeta: listen on %s: %w", a, err)
		}
		ls = append(ls, l)
	}
	for _, l := range ls {
		s.addrs = append(s.addrs, l.Addr())
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			if err := s.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Warn("task metadata: serve", slog.String("addr", l.Addr().String()), slog.Any("error", err))
			}
		}()
	}
	return nil
}

// Addrs returns the addresses being served, with the ports the system
// chose for :0.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]net.Addr(nil), s.addrs...)
}

// Close stops every listener, drops open connections and waits for the
// serving goroutines to return.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	err := s.srv.Close()
	s.wg.Wait()
	return err
}

// checkAddr accepts host:port where host is a specific IP address.
func checkAddr(a string) error {
	host, _, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("taskmeta: listen address %q: %w", a, err)
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return fmt.Errorf("taskmeta: listen address %q: host must be an IP address", a)
	}
	if ip.IsUnspecified() {
		return fmt.Errorf("taskmeta: listen address %q: refusing to listen on every interface", a)
	}
	return nil
}
