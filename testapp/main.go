// Command testapp is the HTTP server that Quayside's end-to-end tests run
// as tasks. One static binary, set by flags or TESTAPP_* environment
// variables, plays every part a test needs: a healthy or failing web
// service, a crash loop, a chatty logger, a memory hog, a process that
// stops slowly on SIGTERM or one that dies at once on it, and its own
// health-check probe for images built FROM scratch. Run it with -help for
// the full list.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// config is the app's behaviour, from flags and the environment.
type config struct {
	port            int
	body            string
	healthStatus    int
	unhealthyAfter  time.Duration
	unhealthyStatus int
	envPrefixes     string
	exitAfter       time.Duration
	exitCode        int
	crash           bool
	logRate         int
	logCount        int
	logStderr       bool
	allocMiB        int
	allocAfter      time.Duration
	stopDelay       time.Duration
	exitOnSigterm   bool
	healthcheck     string
}

// envPrefix prefixes the environment variable that stands for each flag:
// -log-rate is TESTAPP_LOG_RATE.
const envPrefix = "TESTAPP_"

// noEnv lists flags that are never read from the environment. The probe
// runs inside the app's container, whose environment is the app's.
var noEnv = map[string]bool{"healthcheck": true}

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseConfig reads flags from args, then fills each flag not given there
// from its environment variable. It returns flag.ErrHelp after printing
// the help for -help.
func parseConfig(args []string, lookupEnv func(string) (string, bool), out io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("testapp", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.IntVar(&c.port, "port", 8080, "TCP port to listen on")
	fs.StringVar(&c.body, "body", "hello from testapp", "first line of the reply to /")
	fs.IntVar(&c.healthStatus, "health-status", 200, "status code of /health")
	fs.DurationVar(&c.unhealthyAfter, "unhealthy-after", 0, "after this long, /health answers -unhealthy-status instead (0: never)")
	fs.IntVar(&c.unhealthyStatus, "unhealthy-status", 503, "status code of /health once -unhealthy-after has passed")
	fs.StringVar(&c.envPrefixes, "env-prefixes", "TESTAPP_,AWS_,ECS_", "comma-separated name prefixes of the variables /env lists")
	fs.DurationVar(&c.exitAfter, "exit-after", 0, "exit with -exit-code after this long (0: never)")
	fs.IntVar(&c.exitCode, "exit-code", 0, "exit code for -exit-after and -crash")
	fs.BoolVar(&c.crash, "crash", false, "exit with -exit-code at once, before listening (a crash loop)")
	fs.IntVar(&c.logRate, "log-rate", 0, "lines per second to log to stdout (0: none)")
	fs.IntVar(&c.logCount, "log-count", 0, "stop logging after this many lines per stream, then idle (0: no limit)")
	fs.BoolVar(&c.logStderr, "log-stderr", false, "log each line to stderr as well")
	fs.IntVar(&c.allocMiB, "alloc-mib", 0, "allocate and touch this many MiB of memory (to trigger an OOM kill)")
	fs.DurationVar(&c.allocAfter, "alloc-after", 0, "wait this long before -alloc-mib")
	fs.DurationVar(&c.stopDelay, "stop-delay", 0, "on SIGTERM, keep serving this long before exiting 0")
	fs.BoolVar(&c.exitOnSigterm, "exit-on-sigterm", false, "on SIGTERM, exit 0 at once, cutting requests in flight")
	fs.StringVar(&c.healthcheck, "healthcheck", "", "probe mode: GET this URL, exit 0 on 2xx or 3xx, else 1")
	fs.Usage = func() { usage(fs, out) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q (see -help)", fs.Args())
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || noEnv[f.Name] {
			return
		}
		if v, ok := lookupEnv(envName(f.Name)); ok {
			if err := f.Value.Set(v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", envName(f.Name), v, err))
			}
		}
	})
	if len(errs) == 0 {
		errs = c.check()
	}
	return c, errors.Join(errs...)
}

// check rejects values the app cannot act on.
func (c *config) check() []error {
	var errs []error
	bad := func(cond bool, format string, args ...any) {
		if cond {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	bad(c.port < 1 || c.port > 65535, "-port %d: want 1-65535", c.port)
	bad(c.healthStatus < 100 || c.healthStatus > 999, "-health-status %d: want an HTTP status", c.healthStatus)
	bad(c.unhealthyStatus < 100 || c.unhealthyStatus > 999, "-unhealthy-status %d: want an HTTP status", c.unhealthyStatus)
	bad(c.exitCode < 0 || c.exitCode > 255, "-exit-code %d: want 0-255", c.exitCode)
	bad(c.logRate < 0 || c.logRate > 1_000_000, "-log-rate %d: want 0-1000000", c.logRate)
	bad(c.logCount < 0, "-log-count %d: want 0 or more", c.logCount)
	bad(c.allocMiB < 0, "-alloc-mib %d: want 0 or more", c.allocMiB)
	bad(c.exitOnSigterm && c.stopDelay > 0, "-exit-on-sigterm and -stop-delay %s: want one or the other", c.stopDelay)
	return errs
}

func usage(fs *flag.FlagSet, out io.Writer) {
	fmt.Fprint(out, `Usage: testapp [flags]
       testapp -healthcheck URL

An HTTP server for Quayside's end-to-end tests. Every flag can also be set
by the environment variable shown beside it; a flag on the command line
wins over the environment.

Endpoints:
  /                 200, the -body line, then "hostname: <name>" and "path: <path>"
                    (every path not listed below is served the same way)
  /health           -health-status, or -unhealthy-status after -unhealthy-after
  /sethealth?status=N
                    make /health answer N from now on
  /env?name=X[&name=Y]
                    "X=value" lines; 404 if one is not set
  /env              JSON object of the variables whose names start with one
                    of -env-prefixes
  /sha256env?name=X hex SHA-256 of X's value (proves a secret arrived
                    without printing it); 404 if not set
  /sleep?ms=N       answer after N milliseconds
  /exit?code=N      answer, then exit with code N

Signals: on SIGTERM or SIGINT it logs "received SIGTERM" (or SIGINT), keeps
serving for -stop-delay, then exits 0 once the requests in flight have
finished (up to 5 s). A stop timeout shorter than the delay shows up as
SIGKILL, exit code 137. With -exit-on-sigterm, SIGTERM instead logs
"testapp exiting at once" and exits 0 at once: requests in flight are cut,
as they are when a real app dies (use it to prove that a load balancer
drains a target before its task is stopped).

Logging: with -log-rate N it writes "testapp stdout line <i>" N times a
second (and "testapp stderr line <i>" with -log-stderr), -log-count lines
in all if set, then stays idle. Up to 1,000,000 lines a second: above 100
it writes batches every 10 ms.

Probe mode: "testapp -healthcheck http://127.0.0.1:8080/health" exits 0 if
the GET answers 2xx or 3xx within 10 s, else 1. Use it as a container
health check in images without a shell:
  ["CMD", "/testapp", "-healthcheck", "http://127.0.0.1:8080/health"]

Flags:
`)
	fs.VisitAll(func(f *flag.Flag) {
		env := "(env " + envName(f.Name) + ")"
		if noEnv[f.Name] {
			env = "(flag only)"
		}
		fmt.Fprintf(out, "  -%s %s\n        %s (default %q)\n", f.Name, env, f.Usage, f.DefValue)
	})
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// run starts the app and returns its exit code.
func run(args []string) int {
	c, err := parseConfig(args, os.LookupEnv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testapp:", err)
		return 2
	}
	if c.healthcheck != "" {
		return probe(c.healthcheck, os.Stderr)
	}
	if c.crash {
		fmt.Printf("testapp crashing with exit code %d\n", c.exitCode)
		return c.exitCode
	}
	return serve(c)
}
