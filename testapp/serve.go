package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// serve runs the server and the configured behaviours until a signal or
// a timed exit, and returns the exit code.
func serve(c *config) int {
	// Catch signals first: once "listening" is logged, a test may stop
	// the app and expect the graceful path.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	hostname, _ := os.Hostname()
	a := &app{
		cfg:      c,
		hostname: hostname,
		started:  time.Now(),
		now:      time.Now,
		environ:  os.Environ,
		exit:     os.Exit,
		stdout:   os.Stdout,
	}
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(c.port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "testapp:", err)
		return 1
	}
	fmt.Printf("testapp listening on %s\n", ln.Addr())

	if c.allocMiB > 0 {
		go func() {
			time.Sleep(c.allocAfter)
			allocate(c.allocMiB, os.Stdout)
		}()
	}
	if c.logRate > 0 {
		go logLines(c, os.Stdout, os.Stderr)
	}
	if c.exitAfter > 0 {
		time.AfterFunc(c.exitAfter, func() {
			fmt.Printf("testapp exiting with code %d after %s\n", c.exitCode, c.exitAfter)
			os.Exit(c.exitCode)
		})
	}

	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		fmt.Fprintln(os.Stderr, "testapp:", err)
		return 1
	case sig := <-sigs:
		return stop(c, sig, srv, os.Stdout, os.Stderr)
	}
}

// stop ends the server on a signal and returns the exit code: at once,
// cutting the requests in flight, for SIGTERM with -exit-on-sigterm;
// otherwise after -stop-delay and once the requests in flight have
// finished (up to 5 s).
func stop(c *config, sig os.Signal, srv *http.Server, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "received %s\n", signalName(sig))
	if c.exitOnSigterm && sig == syscall.SIGTERM {
		// The process exits next; closing first cuts the connections
		// even where the caller does not exit (in tests).
		_ = srv.Close()
		fmt.Fprintln(stdout, "testapp exiting at once")
		return 0
	}
	if c.stopDelay > 0 {
		fmt.Fprintf(stdout, "testapp stopping in %s\n", c.stopDelay)
		time.Sleep(c.stopDelay)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		fmt.Fprintln(stderr, "testapp: shutdown:", err)
	}
	fmt.Fprintln(stdout, "testapp stopped")
	return 0
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return sig.String()
}

// sink keeps allocated memory reachable.
var sink [][]byte

// allocate takes mib MiB and writes to every page, so the memory is
// really used and counts against a cgroup limit.
func allocate(mib int, out io.Writer) {
	fmt.Fprintf(out, "testapp allocating %d MiB\n", mib)
	for range mib {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		sink = append(sink, b)
	}
	fmt.Fprintf(out, "testapp allocated %d MiB\n", mib)
}

// logLines writes c.logRate lines a second to stdout (and stderr), up to
// c.logCount per stream if set, then returns. Above 100 lines a second
// they go out in batches every 10 ms through a buffer, so that rates of
// hundreds of thousands a second cost one write per batch.
func logLines(c *config, stdout, stderr io.Writer) {
	interval, perTick := time.Second/time.Duration(c.logRate), 1
	if c.logRate > 100 {
		interval, perTick = 10*time.Millisecond, c.logRate/100
	}
	out, errOut := bufio.NewWriterSize(stdout, 64<<10), bufio.NewWriterSize(stderr, 64<<10)
	t := time.NewTicker(interval)
	defer t.Stop()
	for i := 1; c.logCount == 0 || i <= c.logCount; {
		<-t.C
		for n := 0; n < perTick && (c.logCount == 0 || i <= c.logCount); n, i = n+1, i+1 {
			fmt.Fprintf(out, "testapp stdout line %d\n", i)
			if c.logStderr {
				fmt.Fprintf(errOut, "testapp stderr line %d\n", i)
			}
		}
		out.Flush()
		errOut.Flush()
	}
}

// probe is the -healthcheck mode: GET url and report by exit code.
func probe(url string, out io.Writer) int {
	client := &http.Client{
		Timeout: 10 * time.Second,
		// A redirect is an answer: 3xx counts as healthy, as it does for
		// an ALB health check matcher that allows it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(out, "testapp healthcheck:", err)
		return 1
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		fmt.Fprintf(out, "testapp healthcheck: %s answered %d\n", url, resp.StatusCode)
		return 1
	}
	fmt.Fprintf(out, "testapp healthcheck: %s answered %d\n", url, resp.StatusCode)
	return 0
}
