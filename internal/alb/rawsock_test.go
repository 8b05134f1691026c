//go:build linux || darwin || freebsd || netbsd || openbsd

package alb

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"
)

// tcpPair returns both ends of a loopback TCP connection: a's reads and
// writes go through a rawSock.
func tcpPair(t *testing.T) (a *rawSock, ac, b net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	b, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	ac, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ac.Close(); b.Close() })
	a = newRawSock(ac)
	if a == nil {
		t.Fatal("no rawSock for a TCP connection")
	}
	return a, ac, b
}

func TestRawSockReadWrite(t *testing.T) {
	a, ac, b := tcpPair(t)

	// A write larger than the socket buffers waits for the reader, and all
	// of it arrives in order.
	_ = ac.(*net.TCPConn).SetWriteBuffer(16 << 10)
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	got := make(chan []byte)
	go func() {
		time.Sleep(50 * time.Millisecond) // let the writer fill the buffers first
		p, _ := io.ReadAll(io.LimitReader(b, int64(len(big))))
		got <- p
	}()
	if n, err := a.write(big); n != len(big) || err != nil {
		t.Fatalf("write = %d, %v; want %d, nil", n, err, len(big))
	}
	if p := <-got; !bytes.Equal(p, big) {
		t.Fatalf("the reader got %d bytes, not what was written", len(p))
	}

	// A read waits for data, and returns what there is.
	go func() {
		time.Sleep(20 * time.Millisecond)
		b.Write([]byte("hello"))
	}()
	buf := make([]byte, 64)
	if n, err := a.read(buf); err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("read = %q, %v", buf[:n], err)
	}

	// The read deadline set on the net.Conn applies.
	_ = ac.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	if _, err := a.read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read past the deadline: %v, want a timeout", err)
	}
	_ = ac.SetReadDeadline(time.Time{})

	// The peer's close reads as io.EOF, and a write to a reset peer fails.
	b.(*net.TCPConn).SetLinger(0)
	b.Close()
	if _, err := a.read(buf); err == nil {
		t.Fatal("read after the peer reset: no error")
	}
	var err error
	for i := 0; i < 10 && err == nil; i++ {
		_, err = a.write([]byte("x"))
	}
	if !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("write to a reset peer: %v, want EPIPE or ECONNRESET", err)
	}
}

func TestRawSockEOFAndClose(t *testing.T) {
	a, ac, b := tcpPair(t)
	b.Close()
	buf := make([]byte, 8)
	if n, err := a.read(buf); n != 0 || err != io.EOF {
		t.Fatalf("read after the peer closed = %d, %v; want 0, io.EOF", n, err)
	}

	// Closing the connection wakes a read waiting on it.
	a, ac, _ = tcpPair(t)
	done := make(chan error, 1)
	go func() {
		_, err := a.read(buf)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ac.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Fatalf("read on a closed connection: %v, want net.ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the read")
	}
}

func TestRawSockOnlyForTCP(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	if newRawSock(c1) != nil {
		t.Fatal("a rawSock for a net.Pipe")
	}
}
