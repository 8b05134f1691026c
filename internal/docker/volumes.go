package docker

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// VolumeCreateOptions describe a new volume.
type VolumeCreateOptions struct {
	// Name is chosen by the daemon if empty.
	Name string
	// Driver defaults to "local".
	Driver     string
	DriverOpts map[string]string
	Labels     map[string]string
}

// Volume is a named volume.
type Volume struct {
	Name       string            `json:"Name"`
	Driver     string            `json:"Driver"`
	Mountpoint string            `json:"Mountpoint"`
	Labels     map[string]string `json:"Labels"`
	Scope      string            `json:"Scope"`
}

// VolumeCreate creates a volume. Creating one that exists returns it.
func (c *Client) VolumeCreate(ctx context.Context, opts VolumeCreateOptions) (*Volume, error) {
	body := struct {
		Name       string            `json:",omitempty"`
		Driver     string            `json:",omitempty"`
		DriverOpts map[string]string `json:",omitempty"`
		Labels     map[string]string `json:",omitempty"`
	}{opts.Name, opts.Driver, opts.DriverOpts, opts.Labels}
	var out Volume
	if err := c.call(ctx, http.MethodPost, "/volumes/create", nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// VolumeRemove removes a volume. It fails with a conflict while a
// container uses it; force only removes the record of a volume whose
// driver fails.
func (c *Client) VolumeRemove(ctx context.Context, name string, force bool) error {
	q := url.Values{"force": {strconv.FormatBool(force)}}
	return c.call(ctx, http.MethodDelete, "/volumes/"+pathEscape(name), q, nil, nil)
}

// VolumeList lists volumes, such as those with a label:
// Filters{"label": {"quayside.task=abc"}}.
func (c *Client) VolumeList(ctx context.Context, filters Filters) ([]Volume, error) {
	q := url.Values{}
	filters.encode(q)
	var out struct {
		Volumes []Volume `json:"Volumes"`
	}
	if err := c.call(ctx, http.MethodGet, "/volumes", q, nil, &out); err != nil {
		return nil, err
	}
	return out.Volumes, nil
}
