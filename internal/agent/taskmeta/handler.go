package taskmeta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// statsTimeout bounds how long a request waits for Docker's stats. A
// one-shot sample takes Docker about a second.
const statsTimeout = 10 * time.Second

// statusError is an error the client sees, with the status it answers.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// The errors a client can cause. The messages never echo the token.
var (
	errNoPath      = &statusError{http.StatusNotFound, "no such task metadata path"}
	errMethod      = &statusError{http.StatusMethodNotAllowed, "method not allowed; use GET"}
	errNoToken     = &statusError{http.StatusNotFound, "no task for this metadata token"}
	errNoContainer = &statusError{http.StatusNotFound, "no container for this metadata token"}
	errNotCreated  = &statusError{http.StatusNotFound, "the container has not been created yet"}
)

// Handler returns the endpoint: /v4/<token>/... and /v3/<token>/... as
// the package documentation lists. A nil log discards.
func Handler(src Source, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &handler{src: src, log: log}
}

type handler struct {
	src Source
	log *slog.Logger
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := parsePath(r.URL.Path)
	if !ok {
		h.fail(w, r, "", errNoPath)
		return
	}
	what := fmt.Sprintf("v%d%s", rt.version, suffixes[rt.resource])
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		h.fail(w, r, what, errMethod)
		return
	}
	v, err := h.serve(r.Context(), rt)
	if err != nil {
		h.fail(w, r, what, err)
		return
	}
	body, err := encode(v)
	if err != nil {
		h.fail(w, r, what, fmt.Errorf("encode: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// serve answers one parsed request.
func (h *handler) serve(ctx context.Context, rt route) (any, error) {
	view, ok := h.src.Lookup(rt.token)
	if !ok {
		return nil, errNoToken
	}
	switch rt.resource {
	case resTask:
		return taskOf(view.Task, rt.version), nil
	case resTaskWithTags:
		return taskWithTagsOf(view.Task), nil
	case resTaskStats:
		return h.taskStats(ctx, view.Task), nil
	}
	c, ok := callingContainer(view)
	if !ok {
		return nil, errNoContainer
	}
	if rt.resource == resContainer {
		return containerOf(c, rt.version), nil
	}
	if c.DockerID == "" {
		return nil, errNotCreated
	}
	ctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	raw, err := h.src.Stats(ctx, c.DockerID)
	if err != nil {
		return nil, fmt.Errorf("stats of container %s: %w", c.DockerID, err)
	}
	return raw, nil
}

func callingContainer(v View) (ContainerInfo, bool) {
	for _, c := range v.Task.Containers {
		if c.Name == v.Container {
			return c, true
		}
	}
	return ContainerInfo{}, false
}

// taskStats samples every created container of the task at once. A
// container whose stats cannot be read maps to null, and the failure is
// logged here, so one stopped sidecar does not hide the others.
func (h *handler) taskStats(ctx context.Context, t TaskInfo) map[string]json.RawMessage {
	ctx, cancel := context.WithTimeout(ctx, statsTimeout)
	defer cancel()
	var ids []string
	seen := make(map[string]bool, len(t.Containers))
	for _, c := range t.Containers {
		if c.DockerID != "" && !seen[c.DockerID] {
			seen[c.DockerID] = true
			ids = append(ids, c.DockerID)
		}
	}
	stats := make([]json.RawMessage, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			raw, err := h.src.Stats(ctx, id)
			if err == nil && !json.Valid(raw) {
				err = errors.New("not valid JSON")
			}
			if err != nil {
				h.log.LogAttrs(ctx, slog.LevelWarn, "task metadata: container stats",
					slog.String("docker_id", id), slog.Any("error", err))
				return
			}
			stats[i] = raw
		}()
	}
	wg.Wait()
	out := make(map[string]json.RawMessage, len(ids))
	for i, id := range ids {
		out[id] = stats[i]
	}
	return out
}

// fail answers an error as JSON and logs it: client errors at debug,
// anything else at warn as a 500. what names the route without its token.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	status, msg, level := http.StatusInternalServerError, "internal error", slog.LevelWarn
	var se *statusError
	if errors.As(err, &se) {
		status, msg, level = se.status, se.msg, slog.LevelDebug
	}
	h.log.LogAttrs(r.Context(), level, "task metadata request failed",
		slog.String("method", r.Method), slog.String("route", what),
		slog.String("remote", r.RemoteAddr), slog.Int("status", status), slog.Any("error", err))
	body, _ := encode(map[string]string{"error": msg})
	writeJSON(w, status, body)
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
