package alb

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestIdleConnMemory opens keep-alive connections, makes one request on
// each and leaves them idle: the data plane must not keep buffers for
// them, and their waits must settle on small goroutine stacks. It
// measures the heap and goroutine stacks of this process (the client
// side's sockets included) after a collection.
func TestIdleConnMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 2,000 connections")
	}
	h := newHarness(t)
	a := h.newALB("idle")
	h.register(*a.tg.TargetGroupArn, target(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	addr := strings.TrimPrefix(a.url, "http://")
	const n = 2000
	measure := func() (heap, stack uint64) {
		var ms runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse, ms.StackInuse
	}
	// Warm the pools with a first batch, closed again.
	for _, c := range openIdle(t, addr, 64) {
		c.Close()
	}
	heap0, stack0 := measure()
	conns := openIdle(t, addr, n)
	time.Sleep(2*settleAfter + 500*time.Millisecond) // idle waits move to small stacks
	heap1, stack1 := measure()
	perHeap := (int64(heap1) - int64(heap0)) / n
	perStack := (int64(stack1) - int64(stack0)) / n
	t.Logf("per idle connection: %d bytes of heap, %d of stack (client side included)", perHeap, perStack)
	limit := int64(4 << 10)
	if raceEnabled {
		limit += 2 << 10 // stacks twice the size
	}
	if perHeap+perStack > limit {
		t.Errorf("idle connections cost %d bytes each, want under %d", perHeap+perStack, limit)
	}
	for _, c := range conns {
		c.Close()
	}
}

// openIdle opens n keep-alive connections to addr, each after one
// request answered in full.
func openIdle(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	for range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		conns = append(conns, c)
	}
	return conns
}
