// Package docker is a small client for the Docker Engine API, written for
// the Quayside agent and its tests. It speaks HTTP over the daemon's unix
// socket, pins API version 1.41 (Docker Engine 20.10 and later) and needs
// nothing beyond the standard library.
//
// Scope: exactly what an ECS agent needs, and no more.
//
//	images      ImageInspect ImagePull ImagePush ImageTag ImageRemove ImageBuild
//	containers  ContainerCreate ContainerStart ContainerStop ContainerKill
//	            ContainerWait ContainerRemove ContainerInspect ContainerList
//	            ContainerLogs ContainerStats
//	exec        ExecCreate ExecStart ExecInspect
//	networks    NetworkCreate NetworkInspect NetworkRemove NetworkList
//	            NetworkConnect NetworkDisconnect
//	volumes     VolumeCreate VolumeRemove VolumeList
//	events      Events (a streaming decoder)
//	daemon      Ping Version
//
// The request and response structs carry only the fields Quayside uses;
// their JSON names are Docker's, so a missing field is a one-line addition.
// Callers declare small interfaces listing the methods they call and
// accept *Client through them, so tests can substitute fakes.
//
// Errors: a reply with an error status becomes an *Error carrying the
// status and Docker's message; test it with IsNotFound, IsConflict or
// errors.As. A daemon that cannot be reached gives an error saying so,
// detected with IsUnreachable. Streams (pull, push, build) report failures
// inside a 200 reply; these methods read the whole stream and return the
// first error message as an error.
//
// Multiplexed output (logs and exec without a TTY) is split by Demux into
// stdout and stderr, or by LogReader into lines.
package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// APIVersion is the Docker Engine API version every request is sent with.
const APIVersion = "1.41"

// DefaultHost is the daemon address used when DOCKER_HOST is not set.
const DefaultHost = "unix:///var/run/docker.sock"

// Client talks to one Docker daemon. It is safe for concurrent use.
type Client struct {
	host string // as given, for error messages
	http *http.Client
}

// FromEnv returns a client for $DOCKER_HOST, or DefaultHost if it is unset.
func FromEnv() (*Client, error) {
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		host = DefaultHost
	}
	return New(host)
}

// New returns a client for host, which must be a unix:// URL
// ("unix:///var/run/docker.sock"). It does not contact the daemon; call
// Ping for that.
func New(host string) (*Client, error) {
	socket, ok := strings.CutPrefix(host, "unix://")
	if !ok || socket == "" {
		return nil, fmt.Errorf("docker host %q: only unix:// sockets are supported", host)
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	transport := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", socket)
		},
		MaxIdleConns:        16,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{host: host, http: &http.Client{Transport: transport}}, nil
}

// Host returns the daemon address the client was made for.
func (c *Client) Host() string { return c.host }

// Close releases idle connections to the daemon.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// Ping checks that the daemon answers.
func (c *Client) Ping(ctx context.Context) error {
	return c.call(ctx, http.MethodGet, "/_ping", nil, nil, nil)
}

// Version describes the daemon.
type Version struct {
	Version       string `json:"Version"`
	APIVersion    string `json:"ApiVersion"`
	MinAPIVersion string `json:"MinAPIVersion"`
	OS            string `json:"Os"`
	Arch          string `json:"Arch"`
	KernelVersion string `json:"KernelVersion"`
}

// Version returns the daemon's version.
func (c *Client) Version(ctx context.Context) (*Version, error) {
	var v Version
	if err := c.call(ctx, http.MethodGet, "/version", nil, nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Filters select objects in List calls and Events, as Docker's filters
// query parameter: {"label": ["quayside.task=abc"], "event": ["die"]}.
type Filters map[string][]string

func (f Filters) encode(q url.Values) {
	if len(f) == 0 {
		return
	}
	b, _ := json.Marshal(map[string][]string(f)) // cannot fail
	q.Set("filters", string(b))
}

// request is one call to the API. Body, when not nil and not an
// io.Reader, is sent as JSON.
type request struct {
	method string
	path   string
	query  url.Values
	body   any
	header http.Header
}

// send performs r and returns the response if its status is below 400.
// Otherwise it reads the error body and returns an *Error. The caller
// closes the response body.
func (c *Client) send(ctx context.Context, r request) (*http.Response, error) {
	u := "http://docker/v" + APIVersion + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	contentType := ""
	switch b := r.body.(type) {
	case nil:
	case io.Reader:
		body = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("docker %s %s: encoding request: %w", r.method, r.path, err)
		}
		body = bytes.NewReader(buf)
		contentType = "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("docker %s %s: %w", r.method, r.path, err)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	if contentType != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("docker %s %s: %w", r.method, r.path, ctxErr)
		}
		if op := dialError(err); op != nil {
			return nil, &unreachableError{host: c.host, err: op}
		}
		return nil, fmt.Errorf("docker %s %s: %w", r.method, r.path, err)
	}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
		return nil, readError(r.method, r.path, resp)
	}
	return resp, nil
}

// call performs a request whose reply, if out is not nil, is JSON decoded
// into out.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any) error {
	resp, err := c.send(ctx, request{method: method, path: path, query: query, body: in})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("docker %s %s: decoding reply: %w", method, path, err)
	}
	return nil
}

// dialError returns the error of connecting to the socket if that is
// what err is, as opposed to a failure in an exchange with a daemon that
// answered.
func dialError(err error) *net.OpError {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return op
	}
	return nil
}

// pathEscape escapes a name for use in a request path. Image references
// keep their slashes, which the daemon's routes expect unescaped.
func pathEscape(s string) string {
	parts := strings.Split(s, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
