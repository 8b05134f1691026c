package taskmeta

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// fakeSource serves fixed views and stats.
type fakeSource struct {
	views map[string]View
	stats map[string]string // Docker ID → stats JSON; missing is an error

	mu    sync.Mutex
	calls []string // Docker IDs Stats was asked for
}

func (f *fakeSource) Lookup(token string) (View, bool) {
	v, ok := f.views[token]
	return v, ok
}

func (f *fakeSource) Stats(ctx context.Context, dockerID string) (json.RawMessage, error) {
	f.mu.Lock()
	f.calls = append(f.calls, dockerID)
	f.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("no deadline")
	}
	s, ok := f.stats[dockerID]
	if !ok {
		return nil, errors.New("no such container")
	}
	return json.RawMessage(s), nil
}

// The fixture follows AWS's Fargate example (task-metadata-endpoint-v4-
// fargate-examples), with a health check, an exited container and tags
// added.
const (
	tokenCurl = "da6cccf7-1178-400c-afdf-7536173ee209"
	tokenApp  = "f65b461d-aa09-4acb-a579-9785c0530cbc"
	tokenLost = "0b7c5b0e-1d4e-4d53-9a43-6f1f1a1b2c3d" // names a container the task lacks
	taskARN   = "arn:aws:ecs:us-east-1:123456789012:task/MyEmptyCluster/bfa2636268144d039771334145e490c5"
	cluster   = "arn:aws:ecs:us-east-1:123456789012:cluster/MyEmptyCluster"
	curlID    = "bfa2636268144d039771334145e490c5-1117626119"
	appID     = "bfa2636268144d039771334145e490c5-3681984407"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func intp(i int) *int { return &i }

func awsvpc() []NetworkInfo {
	return []NetworkInfo{{
		NetworkMode:              "awsvpc",
		IPv4Addresses:            []string{"172.31.42.189"},
		AttachmentIndex:          0,
		MACAddress:               "0e:98:9f:33:76:d3",
		IPv4SubnetCIDRBlock:      "172.31.32.0/20",
		DomainNameServers:        []string{"172.31.0.2"},
		DomainNameSearchList:     []string{"ec2.internal"},
		PrivateDNSName:           "ip-172-31-42-189.ec2.internal",
		SubnetGatewayIPv4Address: "172.31.32.1/20",
	}}
}

func labels(name string) map[string]string {
	return map[string]string{
		"com.amazonaws.ecs.cluster":                 cluster,
		"com.amazonaws.ecs.container-name":          name,
		"com.amazonaws.ecs.task-arn":                taskARN,
		"com.amazonaws.ecs.task-definition-family":  "sample-fargate",
		"com.amazonaws.ecs.task-definition-version": "5",
	}
}

func fixtureTask() TaskInfo {
	return TaskInfo{
		Cluster:          cluster,
		TaskARN:          taskARN,
		Family:           "sample-fargate",
		Revision:         5,
		DesiredStatus:    "RUNNING",
		KnownStatus:      "RUNNING",
		CPU:              256,
		MemoryMiB:        512,
		PullStartedAt:    at("2023-07-21T15:45:33.532811081Z"),
		PullStoppedAt:    at("2023-07-21T15:45:38.541068435Z"),
		AvailabilityZone: "us-east-1d",
		LaunchType:       "FARGATE",
		ServiceName:      "web",
		Tags:             map[string]string{"team": "payments"},
		ClockDrift: &ClockDrift{
			ErrorBoundMillis: 0.446931,
			ReferenceTime:    at("2023-07-21T16:09:17Z"),
			Synchronized:     true,
		},
		EphemeralStorage: &EphemeralStorage{UtilizedMiB: 261, ReservedMiB: 20496},
		Containers: []ContainerInfo{
			{
				Name:          "curl-image",
				DockerID:      curlID,
				DockerName:    "curl-image",
				Image:         "curlimages/curl",
				ImageID:       "sha256:daf3f46a2639c1613b25e85c9ee4193af8a1d538f92483d67f9a3d7f21721827",
				ContainerARN:  "arn:aws:ecs:us-east-1:123456789012:container/MyEmptyCluster/bfa2636268144d039771334145e490c5/" + tokenCurl,
				Labels:        labels("curl-image"),
				DesiredStatus: "STOPPED",
				KnownStatus:   "STOPPED",
				CPU:           128,
				CreatedAt:     at("2023-07-21T15:45:44.91368314Z"),
				StartedAt:     at("2023-07-21T15:45:44.91368314Z"),
				FinishedAt:    at("2023-07-21T15:46:00.5Z"),
				ExitCode:      intp(0),
				Networks:      awsvpc(),
				Snapshotter:   "overlayfs",
			},
			{
				Name:          "fargate-app",
				DockerID:      appID,
				DockerName:    "fargate-app",
				Image:         "public.ecr.aws/docker/library/httpd:latest",
				ImageID:       "sha256:8059bdd0058510c03ae4c808de8c4fd2c1f3c1b6d9ea75487f1e5caa5ececa02",
				ContainerARN:  "arn:aws:ecs:us-east-1:123456789012:container/MyEmptyCluster/bfa2636268144d039771334145e490c5/" + tokenApp,
				Labels:        labels("fargate-app"),
				DesiredStatus: "RUNNING",
				KnownStatus:   "RUNNING",
				CPU:           2,
				MemoryMiB:     256,
				CreatedAt:     at("2023-07-21T15:45:44.954460255Z"),
				StartedAt:     at("2023-07-21T15:45:44.954460255Z"),
				Health: &HealthInfo{
					Status:   "HEALTHY",
					Since:    at("2023-07-21T15:46:14.954460255Z"),
					ExitCode: intp(0),
					Output:   "ok",
				},
				Networks:  awsvpc(),
				LogDriver: "awslogs",
				LogOptions: map[string]string{
					"awslogs-group":         "/ecs/sample",
					"awslogs-region":        "us-east-1",
					"awslogs-stream-prefix": "ecs",
				},
				RestartCount: intp(1),
				Snapshotter:  "overlayfs",
			},
		},
	}
}

func fixtureSource() *fakeSource {
	t := fixtureTask()
	return &fakeSource{
		views: map[string]View{
			tokenCurl: {Task: t, Container: "curl-image"},
			tokenApp:  {Task: t, Container: "fargate-app"},
			tokenLost: {Task: t, Container: "gone"},
		},
		stats: map[string]string{
			curlID: `{"id":"` + curlID + `","name":"curl-image","read":"2023-07-21T16:00:00.000000001Z"}`,
			appID:  `{"id":"` + appID + `","name":"fargate-app","networks":{"eth1":{"rx_bytes":10}}}`,
		},
	}
}
