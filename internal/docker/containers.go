package docker

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ContainerCreate creates a container named name (or an unnamed one if
// name is "") and returns its ID. host and network may be nil. Docker's
// warnings, such as an unsupported limit, are dropped.
func (c *Client) ContainerCreate(ctx context.Context, name string, config *ContainerConfig, host *HostConfig, network *NetworkingConfig) (string, error) {
	body := struct {
		*ContainerConfig
		HostConfig       *HostConfig       `json:"HostConfig,omitempty"`
		NetworkingConfig *NetworkingConfig `json:"NetworkingConfig,omitempty"`
	}{config, host, network}
	if body.ContainerConfig == nil {
		body.ContainerConfig = &ContainerConfig{}
	}
	var q url.Values
	if name != "" {
		q = url.Values{"name": {name}}
	}
	var out struct {
		ID string `json:"Id"`
	}
	if err := c.call(ctx, http.MethodPost, "/containers/create", q, body, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// ContainerStart starts a created or stopped container. Starting a
// running container is not an error.
func (c *Client) ContainerStart(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodPost, "/containers/"+pathEscape(id)+"/start", nil, nil, nil)
}

// ContainerStop sends the container's stop signal, waits up to timeout
// for it to exit and then kills it. A negative timeout uses the
// container's StopTimeout (default 10 s). Stopping a container that is
// not running is not an error. The request lasts as long as the stop, so
// ctx should allow for timeout.
func (c *Client) ContainerStop(ctx context.Context, id string, timeout time.Duration) error {
	var q url.Values
	if timeout >= 0 {
		q = url.Values{"t": {strconv.Itoa(int((timeout + time.Second - 1) / time.Second))}}
	}
	return c.call(ctx, http.MethodPost, "/containers/"+pathEscape(id)+"/stop", q, nil, nil)
}

// ContainerKill sends signal ("SIGKILL", "SIGTERM", "HUP", "9") to the
// container's main process; "" means SIGKILL. Killing a container that is
// not running gives an error for which IsConflict is true.
func (c *Client) ContainerKill(ctx context.Context, id, signal string) error {
	var q url.Values
	if signal != "" {
		q = url.Values{"signal": {signal}}
	}
	return c.call(ctx, http.MethodPost, "/containers/"+pathEscape(id)+"/kill", q, nil, nil)
}

// WaitCondition says what ContainerWait waits for.
type WaitCondition string

// Wait conditions. WaitNotRunning returns at once for a container that
// was created but not yet started: to wait for the exit of a container
// you are about to start, call ContainerWait with WaitNextExit first.
const (
	WaitNotRunning WaitCondition = "not-running"
	WaitNextExit   WaitCondition = "next-exit"
	WaitRemoved    WaitCondition = "removed"
)

// ContainerWait blocks until the condition holds or ctx ends, and returns
// the container's exit code.
func (c *Client) ContainerWait(ctx context.Context, id string, cond WaitCondition) (exitCode int, err error) {
	q := url.Values{"condition": {string(cond)}}
	var out struct {
		StatusCode int
		Error      *struct{ Message string }
	}
	if err := c.call(ctx, http.MethodPost, "/containers/"+pathEscape(id)+"/wait", q, nil, &out); err != nil {
		return 0, err
	}
	if out.Error != nil && out.Error.Message != "" {
		return out.StatusCode, fmt.Errorf("waiting for container %s: %s", id, out.Error.Message)
	}
	return out.StatusCode, nil
}

// ContainerRemoveOptions configure ContainerRemove.
type ContainerRemoveOptions struct {
	// Force kills a running container before removing it.
	Force bool
	// RemoveVolumes removes the anonymous volumes the container created.
	RemoveVolumes bool
}

// ContainerRemove removes a container.
func (c *Client) ContainerRemove(ctx context.Context, id string, opts ContainerRemoveOptions) error {
	q := url.Values{
		"force": {strconv.FormatBool(opts.Force)},
		"v":     {strconv.FormatBool(opts.RemoveVolumes)},
	}
	return c.call(ctx, http.MethodDelete, "/containers/"+pathEscape(id), q, nil, nil)
}

// ContainerInspect returns the container with the given ID or name.
func (c *Client) ContainerInspect(ctx context.Context, id string) (*Container, error) {
	var out Container
	if err := c.call(ctx, http.MethodGet, "/containers/"+pathEscape(id)+"/json", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ContainerListOptions configure ContainerList.
type ContainerListOptions struct {
	// All includes containers that are not running.
	All bool
	// Filters such as {"label": {"quayside.task=abc"}, "status": {"exited"}}.
	Filters Filters
}

// ContainerList lists containers.
func (c *Client) ContainerList(ctx context.Context, opts ContainerListOptions) ([]ContainerSummary, error) {
	q := url.Values{"all": {strconv.FormatBool(opts.All)}}
	opts.Filters.encode(q)
	var out []ContainerSummary
	if err := c.call(ctx, http.MethodGet, "/containers/json", q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
