package docker

import (
	"context"
	"net/http"
	"net/url"
)

// NetworkCreateOptions describe a new network.
type NetworkCreateOptions struct {
	Name string
	// Driver defaults to "bridge".
	Driver string
	Labels map[string]string
	// Subnet ("10.10.0.0/24") and Gateway are optional; without a subnet
	// the daemon picks a free one from its pools.
	Subnet, Gateway string
	// Internal networks have no route to the outside.
	Internal bool
	// Options are driver options, such as
	// "com.docker.network.bridge.name".
	Options map[string]string
}

// NetworkCreate creates a network and returns its ID. A name already in
// use gives an error for which IsConflict is true.
func (c *Client) NetworkCreate(ctx context.Context, opts NetworkCreateOptions) (string, error) {
	body := struct {
		Name           string
		CheckDuplicate bool
		Driver         string
		Internal       bool              `json:",omitempty"`
		Labels         map[string]string `json:",omitempty"`
		Options        map[string]string `json:",omitempty"`
		IPAM           *IPAM             `json:",omitempty"`
	}{Name: opts.Name, CheckDuplicate: true, Driver: opts.Driver, Internal: opts.Internal, Labels: opts.Labels, Options: opts.Options}
	if body.Driver == "" {
		body.Driver = "bridge"
	}
	if opts.Subnet != "" || opts.Gateway != "" {
		body.IPAM = &IPAM{Driver: "default", Config: []IPAMConfig{{Subnet: opts.Subnet, Gateway: opts.Gateway}}}
	}
	var out struct {
		ID string `json:"Id"`
	}
	if err := c.call(ctx, http.MethodPost, "/networks/create", nil, body, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// Network is a network's inspection.
type Network struct {
	Name     string            `json:"Name"`
	ID       string            `json:"Id"`
	Driver   string            `json:"Driver"`
	Internal bool              `json:"Internal"`
	Labels   map[string]string `json:"Labels"`
	IPAM     IPAM              `json:"IPAM"`
	// Containers are keyed by container ID. NetworkList leaves it empty.
	Containers map[string]NetworkEndpoint `json:"Containers"`
}

// IPAM is a network's address management.
type IPAM struct {
	Driver string       `json:"Driver,omitempty"`
	Config []IPAMConfig `json:"Config"`
}

// IPAMConfig is one address pool of a network.
type IPAMConfig struct {
	Subnet  string `json:"Subnet,omitempty"`
	Gateway string `json:"Gateway,omitempty"`
}

// NetworkEndpoint is a container's attachment as a network reports it.
type NetworkEndpoint struct {
	Name        string `json:"Name"`
	EndpointID  string `json:"EndpointID"`
	MacAddress  string `json:"MacAddress"`
	IPv4Address string `json:"IPv4Address"` // with prefix, "172.18.0.2/16"
}

// NetworkInspect returns the network with the given ID or name.
func (c *Client) NetworkInspect(ctx context.Context, id string) (*Network, error) {
	var out Network
	if err := c.call(ctx, http.MethodGet, "/networks/"+pathEscape(id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// NetworkRemove removes a network. It fails while containers are attached.
func (c *Client) NetworkRemove(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodDelete, "/networks/"+pathEscape(id), nil, nil, nil)
}

// NetworkList lists networks, such as those with a label:
// Filters{"label": {"quayside.managed=true"}}.
func (c *Client) NetworkList(ctx context.Context, filters Filters) ([]Network, error) {
	q := url.Values{}
	filters.encode(q)
	var out []Network
	if err := c.call(ctx, http.MethodGet, "/networks", q, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// NetworkConnect attaches a container to a network; settings may be nil
// or request a fixed address.
func (c *Client) NetworkConnect(ctx context.Context, networkID, containerID string, settings *EndpointSettings) error {
	body := struct {
		Container      string
		EndpointConfig *EndpointSettings `json:",omitempty"`
	}{containerID, settings}
	return c.call(ctx, http.MethodPost, "/networks/"+pathEscape(networkID)+"/connect", nil, body, nil)
}

// NetworkDisconnect detaches a container from a network; force detaches
// even a container that is not running.
func (c *Client) NetworkDisconnect(ctx context.Context, networkID, containerID string, force bool) error {
	body := struct {
		Container string
		Force     bool
	}{containerID, force}
	return c.call(ctx, http.MethodPost, "/networks/"+pathEscape(networkID)+"/disconnect", nil, body, nil)
}
