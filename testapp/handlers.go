package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// app holds the state the handlers share. Its environment, clock and
// exit are fields so tests can replace them.
type app struct {
	cfg      *config
	hostname string
	started  time.Time
	now      func() time.Time
	environ  func() []string
	exit     func(code int)
	stdout   io.Writer

	// healthOverride is the status set by /sethealth, 0 if none.
	healthOverride atomic.Int64
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", a.root)
	mux.HandleFunc("/health", a.health)
	mux.HandleFunc("/sethealth", a.setHealth)
	mux.HandleFunc("/env", a.env)
	mux.HandleFunc("/sha256env", a.sha256Env)
	mux.HandleFunc("/sleep", a.sleep)
	mux.HandleFunc("/exit", a.exitHandler)
	return mux
}

func (a *app) root(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "%s\nhostname: %s\npath: %s\n", a.cfg.body, a.hostname, r.URL.Path)
}

// healthStatus is the status /health answers now.
func (a *app) healthStatus() int {
	if s := a.healthOverride.Load(); s != 0 {
		return int(s)
	}
	if a.cfg.unhealthyAfter > 0 && a.now().Sub(a.started) >= a.cfg.unhealthyAfter {
		return a.cfg.unhealthyStatus
	}
	return a.cfg.healthStatus
}

func (a *app) health(w http.ResponseWriter, r *http.Request) {
	status := a.healthStatus()
	w.WriteHeader(status)
	word := "healthy"
	if status < 200 || status >= 400 {
		word = "unhealthy"
	}
	fmt.Fprintf(w, "%s %d\n", word, status)
}

func (a *app) setHealth(w http.ResponseWriter, r *http.Request) {
	status, err := strconv.Atoi(r.URL.Query().Get("status"))
	if err != nil || status < 100 || status > 999 {
		http.Error(w, "status must be an HTTP status code", http.StatusBadRequest)
		return
	}
	a.healthOverride.Store(int64(status))
	fmt.Fprintf(w, "/health now answers %d\n", status)
}

// lookup finds name in the app's environment.
func (a *app) lookup(name string) (string, bool) {
	for _, kv := range a.environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

func (a *app) env(w http.ResponseWriter, r *http.Request) {
	names := r.URL.Query()["name"]
	if len(names) == 0 {
		a.envJSON(w)
		return
	}
	var b strings.Builder
	for _, name := range names {
		v, ok := a.lookup(name)
		if !ok {
			http.Error(w, name+" is not set", http.StatusNotFound)
			return
		}
		fmt.Fprintf(&b, "%s=%s\n", name, v)
	}
	fmt.Fprint(w, b.String())
}

// envJSON writes the variables whose names have one of the configured
// prefixes, as a JSON object.
func (a *app) envJSON(w http.ResponseWriter) {
	var prefixes []string
	for _, p := range strings.Split(a.cfg.envPrefixes, ",") {
		if p = strings.TrimSpace(p); p != "" {
			prefixes = append(prefixes, p)
		}
	}
	out := map[string]string{}
	for _, kv := range a.environ() {
		k, v, _ := strings.Cut(kv, "=")
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				out[k] = v
				break
			}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out) // map keys are sorted
}

func (a *app) sha256Env(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	v, ok := a.lookup(name)
	if name == "" || !ok {
		http.Error(w, strconv.Quote(name)+" is not set", http.StatusNotFound)
		return
	}
	sum := sha256.Sum256([]byte(v))
	fmt.Fprintln(w, hex.EncodeToString(sum[:]))
}

func (a *app) sleep(w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms < 0 {
		http.Error(w, "ms must be a number of milliseconds", http.StatusBadRequest)
		return
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		fmt.Fprintf(w, "slept %d ms\n", ms)
	case <-r.Context().Done():
	}
}

func (a *app) exitHandler(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.URL.Query().Get("code"))
	if err != nil || code < 0 || code > 255 {
		http.Error(w, "code must be 0-255", http.StatusBadRequest)
		return
	}
	msg := fmt.Sprintf("exiting with code %d\n", code)
	w.Header().Set("Content-Length", strconv.Itoa(len(msg)))
	fmt.Fprint(w, msg)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	fmt.Fprintf(a.stdout, "testapp exiting with code %d on request\n", code)
	a.exit(code)
}
