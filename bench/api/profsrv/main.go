// Command profsrv is a temporary profiling harness: quayside's server with
// net/http/pprof on $PROFSRV_PPROF. It takes "up --listen A --data-dir D".
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"

	"github.com/quayside/quayside/internal/server"
)

func main() {
	fs := flag.NewFlagSet("up", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:4566", "")
	dataDir := fs.String("data-dir", "", "")
	fs.Parse(os.Args[2:])
	if a := os.Getenv("PROFSRV_PPROF"); a != "" {
		go http.ListenAndServe(a, nil)
	}
	srv, err := server.New(server.Config{Listen: *listen, DataDir: *dataDir, Version: "prof", Log: slog.New(slog.DiscardHandler), NoAgent: os.Getenv("PROFSRV_NOAGENT") != ""})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer srv.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv.Run(ctx)
}
