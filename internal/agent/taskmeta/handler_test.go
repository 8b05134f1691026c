package taskmeta

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The expected bodies are written out field by field so a renamed or
// extra field fails the test.

const wantNetworkV4 = `{
	"NetworkMode": "awsvpc",
	"IPv4Addresses": ["172.31.42.189"],
	"AttachmentIndex": 0,
	"MACAddress": "0e:98:9f:33:76:d3",
	"IPv4SubnetCIDRBlock": "172.31.32.0/20",
	"DomainNameServers": ["172.31.0.2"],
	"DomainNameSearchList": ["ec2.internal"],
	"PrivateDNSName": "ip-172-31-42-189.ec2.internal",
	"SubnetGatewayIpv4Address": "172.31.32.1/20"
}`

const wantNetworkV3 = `{"NetworkMode": "awsvpc", "IPv4Addresses": ["172.31.42.189"]}`

func labelsJSON(name string) string {
	return `{
		"com.amazonaws.ecs.cluster": "` + cluster + `",
		"com.amazonaws.ecs.container-name": "` + name + `",
		"com.amazonaws.ecs.task-arn": "` + taskARN + `",
		"com.amazonaws.ecs.task-definition-family": "sample-fargate",
		"com.amazonaws.ecs.task-definition-version": "5"
	}`
}

var wantAppV4 = `{
	"DockerId": "` + appID + `",
	"Name": "fargate-app",
	"DockerName": "fargate-app",
	"Image": "public.ecr.aws/docker/library/httpd:latest",
	"ImageID": "sha256:8059bdd0058510c03ae4c808de8c4fd2c1f3c1b6d9ea75487f1e5caa5ececa02",
	"Labels": ` + labelsJSON("fargate-app") + `,
	"DesiredStatus": "RUNNING",
	"KnownStatus": "RUNNING",
	"Limits": {"CPU": 2, "Memory": 256},
	"CreatedAt": "2023-07-21T15:45:44.954460255Z",
	"StartedAt": "2023-07-21T15:45:44.954460255Z",
	"Type": "NORMAL",
	"Health": {"status": "HEALTHY", "statusSince": "2023-07-21T15:46:14.954460255Z", "exitCode": 0, "output": "ok"},
	"Networks": [` + wantNetworkV4 + `],
	"ContainerARN": "arn:aws:ecs:us-east-1:123456789012:container/MyEmptyCluster/bfa2636268144d039771334145e490c5/` + tokenApp + `",
	"LogDriver": "awslogs",
	"LogOptions": {"awslogs-group": "/ecs/sample", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"},
	"Snapshotter": "overlayfs",
	"RestartCount": 1
}`

var wantCurlV4 = `{
	"DockerId": "` + curlID + `",
	"Name": "curl-image",
	"DockerName": "curl-image",
	"Image": "curlimages/curl",
	"ImageID": "sha256:daf3f46a2639c1613b25e85c9ee4193af8a1d538f92483d67f9a3d7f21721827",
	"Labels": ` + labelsJSON("curl-image") + `,
	"DesiredStatus": "STOPPED",
	"KnownStatus": "STOPPED",
	"ExitCode": 0,
	"Limits": {"CPU": 128},
	"CreatedAt": "2023-07-21T15:45:44.91368314Z",
	"StartedAt": "2023-07-21T15:45:44.91368314Z",
	"FinishedAt": "2023-07-21T15:46:00.5Z",
	"Type": "NORMAL",
	"Networks": [` + wantNetworkV4 + `],
	"ContainerARN": "arn:aws:ecs:us-east-1:123456789012:container/MyEmptyCluster/bfa2636268144d039771334145e490c5/` + tokenCurl + `",
	"Snapshotter": "overlayfs"
}`

var wantAppV3 = `{
	"DockerId": "` + appID + `",
	"Name": "fargate-app",
	"DockerName": "fargate-app",
	"Image": "public.ecr.aws/docker/library/httpd:latest",
	"ImageID": "sha256:8059bdd0058510c03ae4c808de8c4fd2c1f3c1b6d9ea75487f1e5caa5ececa02",
	"Labels": ` + labelsJSON("fargate-app") + `,
	"DesiredStatus": "RUNNING",
	"KnownStatus": "RUNNING",
	"Limits": {"CPU": 2, "Memory": 256},
	"CreatedAt": "2023-07-21T15:45:44.954460255Z",
	"StartedAt": "2023-07-21T15:45:44.954460255Z",
	"Type": "NORMAL",
	"Health": {"status": "HEALTHY", "statusSince": "2023-07-21T15:46:14.954460255Z", "exitCode": 0, "output": "ok"},
	"Networks": [` + wantNetworkV3 + `]
}`

var wantCurlV3 = `{
	"DockerId": "` + curlID + `",
	"Name": "curl-image",
	"DockerName": "curl-image",
	"Image": "curlimages/curl",
	"ImageID": "sha256:daf3f46a2639c1613b25e85c9ee4193af8a1d538f92483d67f9a3d7f21721827",
	"Labels": ` + labelsJSON("curl-image") + `,
	"DesiredStatus": "STOPPED",
	"KnownStatus": "STOPPED",
	"ExitCode": 0,
	"Limits": {"CPU": 128},
	"CreatedAt": "2023-07-21T15:45:44.91368314Z",
	"StartedAt": "2023-07-21T15:45:44.91368314Z",
	"FinishedAt": "2023-07-21T15:46:00.5Z",
	"Type": "NORMAL",
	"Networks": [` + wantNetworkV3 + `]
}`

// taskHead is the task-level fields /task and /taskWithTags share in v4.
var taskHeadV4 = `
	"Cluster": "` + cluster + `",
	"ServiceName": "web",
	"TaskARN": "` + taskARN + `",
	"Family": "sample-fargate",
	"Revision": "5",
	"DesiredStatus": "RUNNING",
	"KnownStatus": "RUNNING",
	"Limits": {"CPU": 0.25, "Memory": 512},
	"PullStartedAt": "2023-07-21T15:45:33.532811081Z",
	"PullStoppedAt": "2023-07-21T15:45:38.541068435Z",
	"AvailabilityZone": "us-east-1d",
	"Containers": [` + wantCurlV4 + `, ` + wantAppV4 + `],
	"LaunchType": "FARGATE",
	"ClockDrift": {"ClockErrorBound": 0.446931, "ReferenceTimestamp": "2023-07-21T16:09:17Z", "ClockSynchronizationStatus": "SYNCHRONIZED"},
	"EphemeralStorageMetrics": {"Utilized": 261, "Reserved": 20496}`

var wantTaskV4 = `{` + taskHeadV4 + `}`

var wantTaskWithTags = `{` + taskHeadV4 + `,
	"TaskTags": {"team": "payments"},
	"ContainerInstanceTags": {}
}`

var wantTaskV3 = `{
	"Cluster": "` + cluster + `",
	"TaskARN": "` + taskARN + `",
	"Family": "sample-fargate",
	"Revision": "5",
	"DesiredStatus": "RUNNING",
	"KnownStatus": "RUNNING",
	"Limits": {"CPU": 0.25, "Memory": 512},
	"PullStartedAt": "2023-07-21T15:45:33.532811081Z",
	"PullStoppedAt": "2023-07-21T15:45:38.541068435Z",
	"AvailabilityZone": "us-east-1d",
	"Containers": [` + wantCurlV3 + `, ` + wantAppV3 + `],
	"ClockDrift": {"ClockErrorBound": 0.446931, "ReferenceTimestamp": "2023-07-21T16:09:17Z", "ClockSynchronizationStatus": "SYNCHRONIZED"}
}`

func TestHandler(t *testing.T) {
	src := fixtureSource()
	curlStats, appStats := src.stats[curlID], src.stats[appID]
	taskStats := `{"` + curlID + `": ` + curlStats + `, "` + appID + `": ` + appStats + `}`
	tests := []struct {
		name   string
		method string // default GET
		path   string
		status int
		want   string // JSON; "" for no body
		allow  string // the Allow header expected
	}{
		{name: "v4 container", path: "/v4/" + tokenApp, status: 200, want: wantAppV4},
		{name: "v4 stopped container", path: "/v4/" + tokenCurl, status: 200, want: wantCurlV4},
		{name: "v4 container trailing slash", path: "/v4/" + tokenApp + "/", status: 200, want: wantAppV4},
		{name: "v4 task", path: "/v4/" + tokenApp + "/task", status: 200, want: wantTaskV4},
		{name: "v4 task from the other container", path: "/v4/" + tokenCurl + "/task", status: 200, want: wantTaskV4},
		{name: "v4 taskWithTags", path: "/v4/" + tokenApp + "/taskWithTags", status: 200, want: wantTaskWithTags},
		{name: "v4 stats", path: "/v4/" + tokenApp + "/stats", status: 200, want: appStats},
		{name: "v4 task stats", path: "/v4/" + tokenCurl + "/task/stats", status: 200, want: taskStats},
		{name: "v3 container", path: "/v3/" + tokenApp, status: 200, want: wantAppV3},
		{name: "v3 task", path: "/v3/" + tokenApp + "/task", status: 200, want: wantTaskV3},
		{name: "v3 stats", path: "/v3/" + tokenCurl + "/stats", status: 200, want: curlStats},
		{name: "v3 task stats", path: "/v3/" + tokenApp + "/task/stats", status: 200, want: taskStats},
		{name: "HEAD", method: "HEAD", path: "/v4/" + tokenApp + "/task", status: 200},

		{name: "unknown token", path: "/v4/6d4f7c1e-0000-4000-8000-000000000000", status: 404, want: `{"error": "no task for this metadata token"}`},
		{name: "unknown token task", path: "/v4/6d4f7c1e-0000-4000-8000-000000000000/task", status: 404, want: `{"error": "no task for this metadata token"}`},
		{name: "token of a container the task lacks", path: "/v4/" + tokenLost, status: 404, want: `{"error": "no container for this metadata token"}`},
		{name: "v3 taskWithTags", path: "/v3/" + tokenApp + "/taskWithTags", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "v2", path: "/v2/metadata", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "root", path: "/", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "no token", path: "/v4/", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "unknown resource", path: "/v4/" + tokenApp + "/credentials", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "stats under stats", path: "/v4/" + tokenApp + "/stats/stats", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "case matters", path: "/v4/" + tokenApp + "/TASK", status: 404, want: `{"error": "no such task metadata path"}`},
		{name: "dot dot", path: "/v4/../v4/" + tokenApp, status: 404, want: `{"error": "no such task metadata path"}`},

		{name: "POST", method: "POST", path: "/v4/" + tokenApp, status: 405, want: `{"error": "method not allowed; use GET"}`, allow: "GET, HEAD"},
		{name: "PUT task", method: "PUT", path: "/v4/" + tokenApp + "/task", status: 405, want: `{"error": "method not allowed; use GET"}`, allow: "GET, HEAD"},
		{name: "DELETE unknown token", method: "DELETE", path: "/v3/6d4f7c1e-0000-4000-8000-000000000000", status: 405, want: `{"error": "method not allowed; use GET"}`, allow: "GET, HEAD"},
		{name: "POST unknown path", method: "POST", path: "/latest/meta-data", status: 404, want: `{"error": "no such task metadata path"}`},
	}
	srv := httptest.NewServer(Handler(src, nil))
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, srv.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if got := resp.Header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
			if tt.want == "" {
				if len(body) != 0 {
					t.Errorf("body = %s, want none", body)
				}
				return
			}
			if diff := cmp.Diff(decode(t, tt.want), decode(t, string(body))); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("invalid JSON %v:\n%s", err, s)
	}
	return v
}

// serve runs one GET against h without a network.
func serve(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestStatsFailures(t *testing.T) {
	tests := []struct {
		name   string
		change func(*fakeSource)
		path   string
		status int
		want   string
	}{
		{
			name:   "container stats fail",
			change: func(f *fakeSource) { delete(f.stats, appID) },
			path:   "/v4/" + tokenApp + "/stats",
			status: 500,
			want:   `{"error": "internal error"}`,
		},
		{
			name:   "container stats not JSON",
			change: func(f *fakeSource) { f.stats[appID] = "{not json" },
			path:   "/v4/" + tokenApp + "/stats",
			status: 500,
			want:   `{"error": "internal error"}`,
		},
		{
			name:   "one container of the task fails",
			change: func(f *fakeSource) { delete(f.stats, curlID) },
			path:   "/v4/" + tokenApp + "/task/stats",
			status: 200,
			want:   `{"` + curlID + `": null, "` + appID + `": {"id":"` + appID + `","name":"fargate-app","networks":{"eth1":{"rx_bytes":10}}}}`,
		},
		{
			name:   "one container of the task answers garbage",
			change: func(f *fakeSource) { f.stats[curlID] = "[1," },
			path:   "/v4/" + tokenApp + "/task/stats",
			status: 200,
			want:   `{"` + curlID + `": null, "` + appID + `": {"id":"` + appID + `","name":"fargate-app","networks":{"eth1":{"rx_bytes":10}}}}`,
		},
		{
			name:   "calling container not created yet",
			change: notCreated("fargate-app"),
			path:   "/v4/" + tokenApp + "/stats",
			status: 404,
			want:   `{"error": "the container has not been created yet"}`,
		},
		{
			name:   "task stats skip containers not created yet",
			change: notCreated("curl-image"),
			path:   "/v4/" + tokenApp + "/task/stats",
			status: 200,
			want:   `{"` + appID + `": {"id":"` + appID + `","name":"fargate-app","networks":{"eth1":{"rx_bytes":10}}}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fixtureSource()
			tt.change(src)
			rec := serve(Handler(src, nil), tt.path)
			if rec.Code != tt.status {
				t.Errorf("status = %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if diff := cmp.Diff(decode(t, tt.want), decode(t, rec.Body.String())); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// notCreated clears a container's Docker ID in every view.
func notCreated(name string) func(*fakeSource) {
	return func(f *fakeSource) {
		for tok, v := range f.views {
			cs := append([]ContainerInfo(nil), v.Task.Containers...)
			for i := range cs {
				if cs[i].Name == name {
					cs[i].DockerID = ""
				}
			}
			v.Task.Containers = cs
			f.views[tok] = v
		}
	}
}

// TestMinimalTask checks what a bare task leaves out: no Limits, no
// optional task fields, a bridge network without awsvpc details, and
// empty tags as {} rather than null.
func TestMinimalTask(t *testing.T) {
	task := TaskInfo{
		Cluster: "default", TaskARN: "arn:aws:ecs:us-east-1:1:task/default/abc", Family: "f", Revision: 12,
		DesiredStatus: "RUNNING", KnownStatus: "PENDING",
		Containers: []ContainerInfo{{
			Name: "c", DesiredStatus: "RUNNING", KnownStatus: "PENDING",
			Networks: []NetworkInfo{{NetworkMode: "bridge"}},
		}},
	}
	src := &fakeSource{views: map[string]View{"tok": {Task: task, Container: "c"}}}
	h := Handler(src, nil)
	container := `{
		"DockerId": "", "Name": "c", "DockerName": "", "Image": "", "ImageID": "",
		"DesiredStatus": "RUNNING", "KnownStatus": "PENDING",
		"Limits": {"CPU": 0}, "Type": "NORMAL",
		"Networks": [{"NetworkMode": "bridge", "IPv4Addresses": []}]
	}`
	head := `"Cluster": "default", "TaskARN": "arn:aws:ecs:us-east-1:1:task/default/abc", "Family": "f", "Revision": "12",
		"DesiredStatus": "RUNNING", "KnownStatus": "PENDING", "Containers": [` + container + `]`
	for path, want := range map[string]string{
		"/v4/tok":              container,
		"/v4/tok/task":         `{` + head + `}`,
		"/v4/tok/taskWithTags": `{` + head + `, "TaskTags": {}, "ContainerInstanceTags": {}}`,
		"/v4/tok/task/stats":   `{}`,
	} {
		rec := serve(h, path)
		if rec.Code != 200 {
			t.Errorf("%s: status %d; body %s", path, rec.Code, rec.Body)
			continue
		}
		if diff := cmp.Diff(decode(t, want), decode(t, rec.Body.String())); diff != "" {
			t.Errorf("%s: body mismatch (-want +got):\n%s", path, diff)
		}
	}
}

// TestTaskStatsConcurrent checks each container is sampled once, with a
// deadline, and the answer keeps Docker's bytes as they were.
func TestTaskStatsConcurrent(t *testing.T) {
	src := fixtureSource()
	rec := serve(Handler(src, nil), "/v4/"+tokenApp+"/task/stats")
	if rec.Code != 200 {
		t.Fatalf("status %d; body %s", rec.Code, rec.Body)
	}
	if len(src.calls) != 2 {
		t.Errorf("Stats called %d times (%v), want 2", len(src.calls), src.calls)
	}
	if !strings.Contains(rec.Body.String(), `"read":"2023-07-21T16:00:00.000000001Z"`) {
		t.Errorf("stats were re-encoded: %s", rec.Body)
	}
}
