package docker

import (
	"context"
	"io"
	"net/http"
)

// ExecConfig describes a command to run in a running container.
type ExecConfig struct {
	Cmd          []string `json:"Cmd"`
	Env          []string `json:"Env,omitempty"`
	User         string   `json:"User,omitempty"`
	WorkingDir   string   `json:"WorkingDir,omitempty"`
	Privileged   bool     `json:"Privileged,omitempty"`
	Tty          bool     `json:"Tty,omitempty"`
	AttachStdout bool     `json:"AttachStdout,omitempty"`
	AttachStderr bool     `json:"AttachStderr,omitempty"`
}

// ExecCreate prepares a command in container id and returns the exec ID.
func (c *Client) ExecCreate(ctx context.Context, id string, cfg ExecConfig) (string, error) {
	var out struct {
		ID string `json:"Id"`
	}
	if err := c.call(ctx, http.MethodPost, "/containers/"+pathEscape(id)+"/exec", nil, cfg, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// ExecStartOptions configure ExecStart.
type ExecStartOptions struct {
	// Detach starts the command and returns without its output.
	Detach bool
	// Tty must match ExecConfig.Tty.
	Tty bool
}

// ExecStart starts a created exec. Unless detached, it returns the
// command's output, multiplexed as for logs (raw with a TTY), which ends
// when the command exits; the caller closes it and then reads the exit
// code with ExecInspect.
func (c *Client) ExecStart(ctx context.Context, execID string, opts ExecStartOptions) (io.ReadCloser, error) {
	body := struct {
		Detach bool
		Tty    bool
	}{opts.Detach, opts.Tty}
	resp, err := c.send(ctx, request{method: http.MethodPost, path: "/exec/" + pathEscape(execID) + "/start", body: body})
	if err != nil {
		return nil, err
	}
	if opts.Detach {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, nil
	}
	return resp.Body, nil
}

// ExecState is an exec's inspection.
type ExecState struct {
	ID          string `json:"ID"`
	ContainerID string `json:"ContainerID"`
	Running     bool   `json:"Running"`
	ExitCode    int    `json:"ExitCode"`
	Pid         int    `json:"Pid"`
}

// ExecInspect returns the state of an exec.
func (c *Client) ExecInspect(ctx context.Context, execID string) (*ExecState, error) {
	var out ExecState
	if err := c.call(ctx, http.MethodGet, "/exec/"+pathEscape(execID)+"/json", nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
