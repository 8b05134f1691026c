package taskmeta

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestListenRefuses(t *testing.T) {
	tests := []struct {
		addr string
		want string
	}{
		{"0.0.0.0:0", "every interface"},
		{"[::]:0", "every interface"},
		{":0", "must be an IP address"},
		{"localhost:0", "must be an IP address"},
		{"127.0.0.1", "missing port"},
	}
	for _, tt := range tests {
		s := NewServer(http.NotFoundHandler(), nil)
		err := s.Listen([]string{"127.0.0.1:0", tt.addr})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Listen(%q) = %v, want an error containing %q", tt.addr, err, tt.want)
		}
		if got := s.Addrs(); len(got) != 0 {
			t.Errorf("Listen(%q) failed but serves %v", tt.addr, got)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}
}

func TestServer(t *testing.T) {
	s := NewServer(Handler(fixtureSource(), nil), nil)
	if err := s.Listen([]string{"127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	// A second call adds an address, as a new task network would.
	if err := s.Listen([]string{"127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	addrs := s.Addrs()
	if len(addrs) != 2 {
		t.Fatalf("Addrs = %v, want 2", addrs)
	}
	for _, a := range addrs {
		resp, err := http.Get("http://" + a.String() + "/v4/" + tokenApp + "/task")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"TaskARN":"`+taskARN+`"`) {
			t.Errorf("%s: status %d body %s", a, resp.StatusCode, body)
		}
	}

	// An address already in use fails the whole call and binds nothing.
	before := len(s.Addrs())
	if err := s.Listen([]string{"127.0.0.1:0", addrs[0].String()}); err == nil {
		t.Error("Listen on a busy address succeeded")
	}
	if got := len(s.Addrs()); got != before {
		t.Errorf("after a failed Listen, %d addresses, want %d", got, before)
	}

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if c, err := net.Dial("tcp", a.String()); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after Close", a)
		}
	}
	if err := s.Listen([]string{"127.0.0.1:0"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Listen after Close = %v, want ErrClosed", err)
	}
}
