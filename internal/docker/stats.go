package docker

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Stats is one sample of a container's resource use. Raw holds Docker's
// JSON as received, which the task metadata endpoint serves as is.
type Stats struct {
	Read        time.Time               `json:"read"`
	PreRead     time.Time               `json:"preread"`
	ID          string                  `json:"id"`
	Name        string                  `json:"name"`
	CPUStats    CPUStats                `json:"cpu_stats"`
	PreCPUStats CPUStats                `json:"precpu_stats"`
	MemoryStats MemoryStats             `json:"memory_stats"`
	Networks    map[string]NetworkStats `json:"networks"`
	PidsStats   struct {
		Current uint64 `json:"current"`
	} `json:"pids_stats"`
	Raw json.RawMessage `json:"-"`
}

// CPUStats are cumulative CPU times in nanoseconds.
type CPUStats struct {
	CPUUsage struct {
		TotalUsage        uint64   `json:"total_usage"`
		PercpuUsage       []uint64 `json:"percpu_usage"`
		UsageInKernelmode uint64   `json:"usage_in_kernelmode"`
		UsageInUsermode   uint64   `json:"usage_in_usermode"`
	} `json:"cpu_usage"`
	SystemUsage uint64 `json:"system_cpu_usage"`
	OnlineCPUs  uint32 `json:"online_cpus"`
}

// MemoryStats are in bytes. Stats holds the cgroup's detailed counters
// ("cache", "rss", "total_inactive_file", ...).
type MemoryStats struct {
	Usage    uint64            `json:"usage"`
	MaxUsage uint64            `json:"max_usage"`
	Limit    uint64            `json:"limit"`
	Stats    map[string]uint64 `json:"stats"`
}

// NetworkStats are per interface counters.
type NetworkStats struct {
	RxBytes   uint64 `json:"rx_bytes"`
	RxPackets uint64 `json:"rx_packets"`
	RxErrors  uint64 `json:"rx_errors"`
	RxDropped uint64 `json:"rx_dropped"`
	TxBytes   uint64 `json:"tx_bytes"`
	TxPackets uint64 `json:"tx_packets"`
	TxErrors  uint64 `json:"tx_errors"`
	TxDropped uint64 `json:"tx_dropped"`
}

// CPUPercent returns the CPU use between PreCPUStats and CPUStats as a
// percentage of one CPU (200 means two CPUs busy), as docker stats shows.
func (s *Stats) CPUPercent() float64 {
	cpu := float64(s.CPUStats.CPUUsage.TotalUsage) - float64(s.PreCPUStats.CPUUsage.TotalUsage)
	sys := float64(s.CPUStats.SystemUsage) - float64(s.PreCPUStats.SystemUsage)
	if cpu <= 0 || sys <= 0 || s.PreCPUStats.SystemUsage == 0 {
		return 0
	}
	n := float64(s.CPUStats.OnlineCPUs)
	if n == 0 {
		n = float64(len(s.CPUStats.CPUUsage.PercpuUsage))
	}
	return cpu / sys * n * 100
}

// ContainerStats takes one sample of a running container's resource use.
// The daemon waits for a second reading to fill PreCPUStats, so the call
// takes about a second and CPUPercent is meaningful.
func (c *Client) ContainerStats(ctx context.Context, id string) (*Stats, error) {
	path := "/containers/" + pathEscape(id) + "/stats"
	resp, err := c.send(ctx, request{method: http.MethodGet, path: path, query: url.Values{"stream": {"false"}}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, fmt.Errorf("docker GET %s: %w", path, err)
	}
	s := Stats{Raw: raw}
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("docker GET %s: decoding reply: %w", path, err)
	}
	return &s, nil
}
