package agent

// In-memory fakes of the agent's two dependencies, Docker and the control
// plane, for unit tests of the runner. Real-Docker tests live in test/e2e.

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/docker"
	"github.com/quayside/quayside/internal/ecs"
)

// ---------------------------------------------------------------- Docker

// fakeDocker implements Docker in memory. Its methods behave as the
// daemon does where the agent cares: 404 for a missing object (IsNotFound),
// 409 for a name in use or a running container removed without force
// (IsConflict). In unreachable mode every call fails with an error for
// which docker.IsUnreachable is true.
//
// Test helpers (RegisterImage, FailPull, Exit, SetHealth, ...) change the
// fake's state directly and work in unreachable mode too, which is how a
// test makes a container exit while the agent cannot see Docker.
type fakeDocker struct {
	// downErr is a genuine unreachable error, made by a real client
	// dialing a socket that does not exist: the type IsUnreachable
	// recognises is unexported, so this is the only way to get one.
	downErr error
	client  *docker.Client // dials the fake's events socket
	srv     *http.Server
	done    chan struct{}     // closed by close: event streams end
	events  chan docker.Event // what event streams deliver

	mu          sync.Mutex
	unreachable bool
	broken      chan struct{} // closed when Docker goes away: live streams break

	images     map[string]*docker.Image // by reference as given
	pullFail   map[string]error         // ImagePull fails for these references
	createFail map[string]error         // ContainerCreate fails for these ECS container names
	ignoreTerm map[string]bool          // ECS container names (or Docker names) that ignore SIGTERM
	exitStart  map[string]int           // ECS container names that exit with this code as soon as started
	builds     []fakeBuild
	pulls      []string
	containers map[string]*fakeContainer // by ID
	networks   map[string]*docker.Network
	volumes    map[string]*docker.Volume
	calls      map[string]int
	starts     []string // Docker names, in start order
	stops      []fakeStop
	seq        int
	nextHost   int // next dynamic host port
}

// fakeBuild records one ImageBuild: its options and the files of its
// build context.
type fakeBuild struct {
	Opts  docker.BuildOptions
	Files map[string][]byte
}

// fakeStop records one ContainerStop of a running container.
type fakeStop struct {
	Name    string // the ECS container name, or the Docker name without one
	ID      string
	Timeout time.Duration
}

type fakeContainer struct {
	ID      string
	Name    string // Docker name, without the leading "/"
	Created time.Time
	Config  docker.ContainerConfig
	Host    docker.HostConfig
	Netw    *docker.NetworkingConfig
	State   docker.ContainerState
	Nets    map[string]*docker.EndpointSettings
	Ports   map[string][]docker.PortBinding
}

// ecsName is the ECS container name of c, from its label.
func (c *fakeContainer) ecsName() string { return c.Config.Labels[LabelContainerName] }

func newFakeDocker(t testing.TB) *fakeDocker {
	t.Helper()
	dir, err := os.MkdirTemp("", "qsfake") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	absent, err := docker.New("unix://" + filepath.Join(dir, "absent.sock"))
	if err != nil {
		t.Fatal(err)
	}
	downErr := absent.Ping(context.Background())
	if !docker.IsUnreachable(downErr) {
		t.Fatalf("dialing a missing socket gave %v, which IsUnreachable does not recognise", downErr)
	}

	f := &fakeDocker{
		downErr: downErr, done: make(chan struct{}), events: make(chan docker.Event, 1024),
		broken: make(chan struct{}), images: map[string]*docker.Image{}, pullFail: map[string]error{},
		createFail: map[string]error{}, ignoreTerm: map[string]bool{}, exitStart: map[string]int{}, containers: map[string]*fakeContainer{},
		networks: map[string]*docker.Network{}, volumes: map[string]*docker.Volume{}, calls: map[string]int{},
		nextHost: 32768,
	}
	// Docker's default bridge network. Addresses of the fake's networks
	// are in the documentation ranges (RFC 5737), never the host's.
	f.networks["bridge"] = &docker.Network{Name: "bridge", ID: "net-bridge", Driver: "bridge",
		IPAM: docker.IPAM{Driver: "default", Config: []docker.IPAMConfig{{Subnet: "198.51.100.0/24", Gateway: "198.51.100.1"}}}}

	// Events are served over HTTP on a unix socket so that Events can
	// return a genuine *docker.EventStream, whose fields are unexported.
	sock := filepath.Join(dir, "events.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serveEvents), ReadHeaderTimeout: 5 * time.Second}
	go f.srv.Serve(ln)
	if f.client, err = docker.New("unix://" + sock); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.close)
	return f
}

func (f *fakeDocker) close() {
	select {
	case <-f.done:
		return
	default:
	}
	close(f.done)
	f.srv.Close()
	f.client.Close()
}

// enter counts a call and fails it when Docker is unreachable or ctx has
// ended. The caller holds f.mu.
func (f *fakeDocker) enter(ctx context.Context, method string) error {
	f.calls[method]++
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.unreachable {
		return fmt.Errorf("fake docker %s: %w", method, f.downErr)
	}
	return nil
}

func notFound(format string, args ...any) error {
	return &docker.Error{StatusCode: http.StatusNotFound, Message: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) error {
	return &docker.Error{StatusCode: http.StatusConflict, Message: fmt.Sprintf(format, args...)}
}

// ---- test controls

// SetUnreachable puts the fake in or out of unreachable mode. Going
// unreachable breaks live event streams, as a daemon that stops does.
func (f *fakeDocker) SetUnreachable(down bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if down && !f.unreachable {
		close(f.broken)
	}
	if !down && f.unreachable {
		f.broken = make(chan struct{})
	}
	f.unreachable = down
}

// RegisterImage makes ref an image Docker has. repoDigest, if not empty,
// is its "repo@sha256:..." entry.
func (f *fakeDocker) RegisterImage(ref, repoDigest string) *docker.Image {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.registerLocked(ref, repoDigest)
}

func (f *fakeDocker) registerLocked(ref, repoDigest string) *docker.Image {
	img := &docker.Image{ID: "sha256:" + hexSum("image "+ref), RepoTags: []string{ref}, OS: "linux", Architecture: runtime.GOARCH,
		Created: time.Now(), Config: &docker.ContainerConfig{}}
	if repoDigest != "" {
		img.RepoDigests = []string{repoDigest}
	}
	f.images[ref] = img
	return img
}

// FailPull makes ImagePull of ref fail with err.
func (f *fakeDocker) FailPull(ref string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pullFail[ref] = err
}

// FailCreate makes ContainerCreate of the task container named name fail
// with err.
func (f *fakeDocker) FailCreate(name string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.createFail[name] = err
}

// IgnoreSIGTERM makes the container with that ECS (or Docker) name ignore
// SIGTERM: ContainerStop ends it with SIGKILL, exit code 137.
func (f *fakeDocker) IgnoreSIGTERM(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ignoreTerm[name] = true
}

// ExitOnStart makes the container with that ECS name exit with code as
// soon as it starts, as a one-shot init container does.
func (f *fakeDocker) ExitOnStart(name string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exitStart[name] = code
}

// AddContainer puts a container in the fake directly, as one left behind
// by an earlier agent. It is started if running is true.
func (f *fakeDocker) AddContainer(name string, cfg docker.ContainerConfig, host docker.HostConfig, running bool) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.createLocked(name, cfg, host, nil)
	if running {
		f.startLocked(c)
	}
	return c.ID
}

// Exit ends the running container with that ECS (or Docker) name.
func (f *fakeDocker) Exit(name string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.findLocked(name)
	if c == nil {
		panic("fakeDocker.Exit: no container " + name)
	}
	f.exitLocked(c, code)
}

// SetHealth sets the health status ("starting", "healthy", "unhealthy")
// of the container with that ECS (or Docker) name.
func (f *fakeDocker) SetHealth(name, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.findLocked(name)
	if c == nil {
		panic("fakeDocker.SetHealth: no container " + name)
	}
	if c.State.Health == nil {
		c.State.Health = &docker.Health{}
	}
	c.State.Health.Status = status
	f.emitLocked(c, "health_status: "+status)
}

// Push delivers an event to the agent's event stream.
func (f *fakeDocker) Push(ev docker.Event) {
	if ev.TimeNano == 0 {
		ev.TimeNano = time.Now().UnixNano()
	}
	select {
	case f.events <- ev:
	case <-time.After(5 * time.Second):
		panic("fakeDocker.Push: the event buffer is full")
	}
}

// Calls is how many times method was called (including failed calls).
func (f *fakeDocker) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// Container returns a snapshot of the container with that ECS (or Docker)
// name or ID.
func (f *fakeDocker) Container(name string) (docker.Container, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.findLocked(name)
	if c == nil {
		return docker.Container{}, false
	}
	return *f.inspectLocked(c), true
}

// Containers lists snapshots of every container, sorted by name.
func (f *fakeDocker) Containers() []docker.Container {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []docker.Container
	for _, c := range f.containers {
		out = append(out, *f.inspectLocked(c))
	}
	slices.SortFunc(out, func(a, b docker.Container) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Pause returns the pause container, if there is one.
func (f *fakeDocker) Pause() (docker.Container, bool) {
	for _, c := range f.Containers() {
		if c.Config.Labels[LabelRole] == "pause" {
			return c, true
		}
	}
	return docker.Container{}, false
}

// Starts lists the Docker names of started containers, in order.
func (f *fakeDocker) Starts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.starts)
}

// Stops lists the ContainerStop calls that stopped a running container.
func (f *fakeDocker) Stops() []fakeStop {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.stops)
}

// Pulls lists the references ImagePull was called with, failed or not.
func (f *fakeDocker) Pulls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.pulls)
}

// Builds lists the ImageBuild calls.
func (f *fakeDocker) Builds() []fakeBuild {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.builds)
}

// Volumes lists the names of the volumes.
func (f *fakeDocker) Volumes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for n := range f.volumes {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// findLocked finds a container by ID, Docker name or ECS container name.
func (f *fakeDocker) findLocked(name string) *fakeContainer {
	if c, ok := f.containers[name]; ok {
		return c
	}
	for _, c := range f.containers {
		if c.Name == name || strings.TrimPrefix(name, "/") == c.Name {
			return c
		}
	}
	for _, c := range f.containers {
		if c.ecsName() == name {
			return c
		}
	}
	return nil
}

func (f *fakeDocker) emitLocked(c *fakeContainer, action string) {
	attrs := map[string]string{"name": c.Name, "image": c.Config.Image}
	for k, v := range c.Config.Labels {
		attrs[k] = v
	}
	ev := docker.Event{Type: "container", Action: action, TimeNano: time.Now().UnixNano(),
		Actor: docker.EventActor{ID: c.ID, Attributes: attrs}}
	select {
	case f.events <- ev:
	default: // nobody listening for a long while: drop, as a daemon's buffer would
	}
}

// ---- Docker: daemon and images

func (f *fakeDocker) Ping(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.enter(ctx, "Ping")
}

func (f *fakeDocker) Version(ctx context.Context) (*docker.Version, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "Version"); err != nil {
		return nil, err
	}
	return &docker.Version{Version: "27.0.0-fake", APIVersion: docker.APIVersion, OS: "linux", Arch: runtime.GOARCH}, nil
}

func (f *fakeDocker) ImageInspect(ctx context.Context, ref string) (*docker.Image, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ImageInspect"); err != nil {
		return nil, err
	}
	img, ok := f.images[ref]
	if !ok {
		return nil, notFound("No such image: %s", ref)
	}
	cp := *img
	cp.RepoTags, cp.RepoDigests = slices.Clone(img.RepoTags), slices.Clone(img.RepoDigests)
	return &cp, nil
}

func (f *fakeDocker) ImagePull(ctx context.Context, ref string, _ *docker.AuthConfig) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ImagePull"); err != nil {
		return err
	}
	f.pulls = append(f.pulls, ref)
	if err := f.pullFail[ref]; err != nil {
		return err
	}
	repo := ref
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		repo = ref[:i]
	}
	f.registerLocked(ref, repo+"@sha256:"+hexSum("manifest "+ref))
	return nil
}

func (f *fakeDocker) ImageBuild(ctx context.Context, tarContext io.Reader, opts docker.BuildOptions) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ImageBuild"); err != nil {
		return "", err
	}
	files := map[string][]byte{}
	tr := tar.NewReader(tarContext)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", &docker.Error{StatusCode: http.StatusBadRequest, Message: "bad build context: " + err.Error()}
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return "", &docker.Error{StatusCode: http.StatusBadRequest, Message: "bad build context: " + err.Error()}
		}
		files[hdr.Name] = b
	}
	if _, ok := files["Dockerfile"]; !ok {
		return "", &docker.Error{StatusCode: http.StatusInternalServerError, Message: "Cannot locate specified Dockerfile: Dockerfile"}
	}
	f.builds = append(f.builds, fakeBuild{Opts: opts, Files: files})
	var id string
	for _, tag := range opts.Tags {
		id = f.registerLocked(tag, "").ID
	}
	return id, nil
}

// ---- Docker: containers

func (f *fakeDocker) ContainerCreate(ctx context.Context, name string, config *docker.ContainerConfig, host *docker.HostConfig, network *docker.NetworkingConfig) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerCreate"); err != nil {
		return "", err
	}
	for _, c := range f.containers {
		if c.Name == name {
			return "", conflict("Conflict. The container name \"/%s\" is already in use by container \"%s\".", name, c.ID)
		}
	}
	if _, ok := f.images[config.Image]; !ok {
		return "", notFound("No such image: %s", config.Image)
	}
	if err := f.createFail[config.Labels[LabelContainerName]]; err != nil {
		return "", err
	}
	var h docker.HostConfig
	if host != nil {
		h = *host
	}
	return f.createLocked(name, *config, h, network).ID, nil
}

func (f *fakeDocker) createLocked(name string, cfg docker.ContainerConfig, host docker.HostConfig, netw *docker.NetworkingConfig) *fakeContainer {
	f.seq++
	id := hexSum(fmt.Sprintf("container %d %s", f.seq, name))
	cfg.Labels = cloneMap(cfg.Labels)
	c := &fakeContainer{ID: id, Name: name, Created: time.Now(), Config: cfg, Host: host, Netw: netw,
		State: docker.ContainerState{Status: "created"}}
	f.containers[id] = c
	f.emitLocked(c, "create")
	return c
}

func (f *fakeDocker) ContainerStart(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerStart"); err != nil {
		return err
	}
	c, ok := f.containers[id]
	if !ok {
		return notFound("No such container: %s", id)
	}
	if c.State.Running {
		return nil // 304 Not Modified, which the client treats as success
	}
	f.startLocked(c)
	return nil
}

// startLocked runs c: it joins its networks, gets host ports for its
// port bindings and, with a health check, starts in health "starting".
func (f *fakeDocker) startLocked(c *fakeContainer) {
	c.State = docker.ContainerState{Status: "running", Running: true, Pid: 1000 + f.seq, StartedAt: time.Now()}
	if hc := c.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		c.State.Health = &docker.Health{Status: docker.HealthStarting}
	}
	c.Nets = map[string]*docker.EndpointSettings{}
	mode := c.Host.NetworkMode
	var join []string
	switch {
	case mode == "" || mode == "default":
		join = append(join, "bridge")
	case mode == "none" || mode == "host" || strings.HasPrefix(mode, "container:"):
	default:
		join = append(join, mode)
	}
	if c.Netw != nil {
		for n := range c.Netw.EndpointsConfig {
			if !slices.Contains(join, n) {
				join = append(join, n)
			}
		}
	}
	for _, name := range join {
		n := f.networkLocked(name)
		if n == nil || len(n.IPAM.Config) == 0 {
			continue
		}
		f.seq++
		gw := n.IPAM.Config[0].Gateway
		ip := gw[:strings.LastIndexByte(gw, '.')+1] + strconv.Itoa(10+f.seq%200)
		c.Nets[name] = &docker.EndpointSettings{NetworkID: n.ID, EndpointID: hexSum("endpoint " + c.ID + name),
			Gateway: gw, IPAddress: ip, IPPrefixLen: 24, MacAddress: fmt.Sprintf("02:42:c0:00:02:%02x", 10+f.seq%200)}
	}
	c.Ports = nil
	if !strings.HasPrefix(mode, "container:") && mode != "host" {
		for port, binds := range c.Host.PortBindings {
			if c.Ports == nil {
				c.Ports = map[string][]docker.PortBinding{}
			}
			for _, b := range binds {
				if b.HostPort == "" || b.HostPort == "0" {
					b.HostPort = strconv.Itoa(f.nextHost)
					f.nextHost++
				}
				if b.HostIP == "" {
					b.HostIP = "0.0.0.0"
				}
				c.Ports[port] = append(c.Ports[port], b)
			}
		}
	}
	f.starts = append(f.starts, c.Name)
	f.emitLocked(c, "start")
	if code, ok := f.exitStart[c.ecsName()]; ok {
		f.exitLocked(c, code)
	}
}

func (f *fakeDocker) exitLocked(c *fakeContainer, code int) {
	if !c.State.Running {
		return
	}
	c.State.Status, c.State.Running, c.State.Pid = "exited", false, 0
	c.State.ExitCode, c.State.FinishedAt = code, time.Now()
	c.Nets = map[string]*docker.EndpointSettings{}
	c.Ports = nil
	f.emitLocked(c, "die")
}

func (f *fakeDocker) ignoresTerm(c *fakeContainer) bool {
	return f.ignoreTerm[c.ecsName()] || f.ignoreTerm[c.Name] || c.Config.Image == PauseImage
}

func (f *fakeDocker) ContainerStop(ctx context.Context, id string, timeout time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerStop"); err != nil {
		return err
	}
	c, ok := f.containers[id]
	if !ok {
		return notFound("No such container: %s", id)
	}
	if !c.State.Running {
		return nil // 304: already stopped
	}
	name := c.ecsName()
	if name == "" {
		name = c.Name
	}
	f.stops = append(f.stops, fakeStop{Name: name, ID: id, Timeout: timeout})
	code := 0
	if f.ignoresTerm(c) {
		code = 137 // SIGKILL after the timeout
	}
	f.exitLocked(c, code)
	return nil
}

func (f *fakeDocker) ContainerKill(ctx context.Context, id, signal string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerKill"); err != nil {
		return err
	}
	c, ok := f.containers[id]
	if !ok {
		return notFound("No such container: %s", id)
	}
	if !c.State.Running {
		return conflict("Container %s is not running", id)
	}
	switch strings.TrimPrefix(strings.ToUpper(signal), "SIG") {
	case "", "KILL", "9":
		f.exitLocked(c, 137)
	case "TERM", "15":
		if !f.ignoresTerm(c) {
			f.exitLocked(c, 143)
		}
	}
	return nil
}

func (f *fakeDocker) ContainerRemove(ctx context.Context, id string, opts docker.ContainerRemoveOptions) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerRemove"); err != nil {
		return err
	}
	c := f.findLocked(id)
	if c == nil || (c.ID != id && c.Name != id) {
		return notFound("No such container: %s", id)
	}
	if c.State.Running && !opts.Force {
		return conflict("You cannot remove a running container %s. Stop the container before attempting removal or force remove", id)
	}
	if c.State.Running {
		f.exitLocked(c, 137)
	}
	delete(f.containers, c.ID)
	f.emitLocked(c, "destroy")
	return nil
}

func (f *fakeDocker) ContainerInspect(ctx context.Context, id string) (*docker.Container, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerInspect"); err != nil {
		return nil, err
	}
	c := f.findLocked(id)
	if c == nil || (c.ID != id && c.Name != id) {
		return nil, notFound("No such container: %s", id)
	}
	return f.inspectLocked(c), nil
}

// inspectLocked is c's inspection; it shares nothing with c.
func (f *fakeDocker) inspectLocked(c *fakeContainer) *docker.Container {
	st := c.State
	if c.State.Health != nil {
		h := *c.State.Health
		st.Health = &h
	}
	nets := map[string]*docker.EndpointSettings{}
	for k, v := range c.Nets {
		e := *v
		nets[k] = &e
	}
	var ports map[string][]docker.PortBinding
	if c.Ports != nil {
		ports = map[string][]docker.PortBinding{}
		for k, v := range c.Ports {
			ports[k] = slices.Clone(v)
		}
	}
	cfg, host := c.Config, c.Host
	cfg.Labels = cloneMap(c.Config.Labels)
	imageID := ""
	if img, ok := f.images[c.Config.Image]; ok {
		imageID = img.ID
	}
	return &docker.Container{ID: c.ID, Name: "/" + c.Name, Image: imageID, Created: c.Created, State: st,
		Config: &cfg, HostConfig: &host, NetworkSettings: docker.NetworkSettings{Networks: nets, Ports: ports}}
}

func (f *fakeDocker) ContainerList(ctx context.Context, opts docker.ContainerListOptions) ([]docker.ContainerSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerList"); err != nil {
		return nil, err
	}
	var out []docker.ContainerSummary
	for _, c := range f.containers {
		if !opts.All && !c.State.Running {
			continue
		}
		if !labelsMatch(opts.Filters["label"], c.Config.Labels) {
			continue
		}
		if st := opts.Filters["status"]; len(st) > 0 && !slices.Contains(st, c.State.Status) {
			continue
		}
		if names := opts.Filters["name"]; len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(c.Name, n) }) {
			continue
		}
		out = append(out, docker.ContainerSummary{ID: c.ID, Names: []string{"/" + c.Name}, Image: c.Config.Image,
			Created: c.Created.Unix(), Labels: cloneMap(c.Config.Labels), State: c.State.Status, Status: c.State.Status})
	}
	slices.SortFunc(out, func(a, b docker.ContainerSummary) int { return strings.Compare(a.Names[0], b.Names[0]) })
	return out, nil
}

// labelsMatch applies Docker's label filter: every entry, "k" or "k=v",
// must hold.
func labelsMatch(filter []string, labels map[string]string) bool {
	for _, l := range filter {
		k, v, hasValue := strings.Cut(l, "=")
		got, ok := labels[k]
		if !ok || (hasValue && got != v) {
			return false
		}
	}
	return true
}

func (f *fakeDocker) ContainerStats(ctx context.Context, id string) (*docker.Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "ContainerStats"); err != nil {
		return nil, err
	}
	c := f.findLocked(id)
	if c == nil || c.ID != id {
		return nil, notFound("No such container: %s", id)
	}
	s := docker.Stats{Read: time.Now(), PreRead: time.Now().Add(-time.Second), ID: c.ID, Name: "/" + c.Name}
	s.MemoryStats.Usage, s.MemoryStats.Limit = 8<<20, 512<<20
	s.CPUStats.OnlineCPUs = 1
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	s.Raw = raw
	return &s, nil
}

// ---- Docker: networks and volumes

func (f *fakeDocker) networkLocked(idOrName string) *docker.Network {
	if n, ok := f.networks[idOrName]; ok {
		return n
	}
	for _, n := range f.networks {
		if n.ID == idOrName {
			return n
		}
	}
	return nil
}

func (f *fakeDocker) NetworkCreate(ctx context.Context, opts docker.NetworkCreateOptions) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "NetworkCreate"); err != nil {
		return "", err
	}
	if _, ok := f.networks[opts.Name]; ok {
		return "", conflict("network with name %s already exists", opts.Name)
	}
	subnet, gateway := "192.0.2.0/24", "192.0.2.1"
	if opts.Subnet != "" {
		ip, ipnet, err := net.ParseCIDR(opts.Subnet)
		if err != nil || ip.To4() == nil {
			return "", &docker.Error{StatusCode: http.StatusBadRequest, Message: "invalid subnet " + opts.Subnet}
		}
		gw := ipnet.IP.To4()
		gw[3]++
		subnet, gateway = ipnet.String(), gw.String()
	}
	if opts.Gateway != "" {
		gateway = opts.Gateway
	}
	driver := opts.Driver
	if driver == "" {
		driver = "bridge"
	}
	id := hexSum("network " + opts.Name)
	f.networks[opts.Name] = &docker.Network{Name: opts.Name, ID: id, Driver: driver, Internal: opts.Internal,
		Labels: cloneMap(opts.Labels), IPAM: docker.IPAM{Driver: "default", Config: []docker.IPAMConfig{{Subnet: subnet, Gateway: gateway}}}}
	return id, nil
}

func (f *fakeDocker) NetworkInspect(ctx context.Context, id string) (*docker.Network, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "NetworkInspect"); err != nil {
		return nil, err
	}
	n := f.networkLocked(id)
	if n == nil {
		return nil, notFound("network %s not found", id)
	}
	cp := *n
	cp.Labels = cloneMap(n.Labels)
	cp.IPAM.Config = slices.Clone(n.IPAM.Config)
	cp.Containers = map[string]docker.NetworkEndpoint{}
	for _, c := range f.containers {
		if e, ok := c.Nets[n.Name]; ok {
			cp.Containers[c.ID] = docker.NetworkEndpoint{Name: c.Name, EndpointID: e.EndpointID, MacAddress: e.MacAddress,
				IPv4Address: e.IPAddress + "/" + strconv.Itoa(e.IPPrefixLen)}
		}
	}
	return &cp, nil
}

func (f *fakeDocker) VolumeCreate(ctx context.Context, opts docker.VolumeCreateOptions) (*docker.Volume, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "VolumeCreate"); err != nil {
		return nil, err
	}
	name := opts.Name
	if name == "" {
		f.seq++
		name = hexSum(fmt.Sprintf("volume %d", f.seq))
	}
	if v, ok := f.volumes[name]; ok {
		cp := *v
		return &cp, nil
	}
	driver := opts.Driver
	if driver == "" {
		driver = "local"
	}
	v := &docker.Volume{Name: name, Driver: driver, Mountpoint: "/var/lib/docker/volumes/" + name + "/_data",
		Labels: cloneMap(opts.Labels), Scope: "local"}
	f.volumes[name] = v
	cp := *v
	return &cp, nil
}

func (f *fakeDocker) VolumeRemove(ctx context.Context, name string, _ bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "VolumeRemove"); err != nil {
		return err
	}
	if _, ok := f.volumes[name]; !ok {
		return notFound("get %s: no such volume", name)
	}
	delete(f.volumes, name)
	return nil
}

func (f *fakeDocker) VolumeList(ctx context.Context, filters docker.Filters) ([]docker.Volume, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.enter(ctx, "VolumeList"); err != nil {
		return nil, err
	}
	var out []docker.Volume
	for _, v := range f.volumes {
		if !labelsMatch(filters["label"], v.Labels) {
			continue
		}
		// Docker's name filter matches substrings.
		if names := filters["name"]; len(names) > 0 && !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(v.Name, n) }) {
			continue
		}
		cp := *v
		cp.Labels = cloneMap(v.Labels)
		out = append(out, cp)
	}
	slices.SortFunc(out, func(a, b docker.Volume) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// ---- Docker: events

// Events subscribes to the fake's events: those the fake emits on create,
// start, die, health_status and destroy, and those a test Pushes. Next
// blocks until one matches the filters or ctx ends; the stream breaks
// (io.EOF) when the fake goes unreachable. Since is not replayed.
func (f *fakeDocker) Events(ctx context.Context, opts docker.EventsOptions) (*docker.EventStream, error) {
	f.mu.Lock()
	err := f.enter(ctx, "Events")
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return f.client.Events(ctx, opts)
}

// serveEvents is the daemon's GET /events, streaming from f.events.
func (f *fakeDocker) serveEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.URL.Path != "/v"+docker.APIVersion+"/events" {
		http.Error(w, `{"message":"page not found"}`, http.StatusNotFound)
		return
	}
	var filters docker.Filters
	if q := r.URL.Query().Get("filters"); q != "" {
		if err := json.Unmarshal([]byte(q), &filters); err != nil {
			http.Error(w, `{"message":"bad filters"}`, http.StatusBadRequest)
			return
		}
	}
	f.mu.Lock()
	broken := f.broken
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	enc := json.NewEncoder(w)
	for {
		select {
		case ev := <-f.events:
			if !eventMatches(filters, ev) {
				continue
			}
			if err := enc.Encode(ev); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		case <-broken:
			return
		case <-r.Context().Done():
			return
		case <-f.done:
			return
		}
	}
}

func eventMatches(filters docker.Filters, ev docker.Event) bool {
	if t := filters["type"]; len(t) > 0 && !slices.Contains(t, ev.Type) {
		return false
	}
	if e := filters["event"]; len(e) > 0 && !slices.Contains(e, ev.Name()) {
		return false
	}
	return labelsMatch(filters["label"], ev.Actor.Attributes)
}

func hexSum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// ---------------------------------------------------------------- control plane

// fakePlane implements ControlPlane in memory. Records are stored as JSON
// round trips, as the real store keeps them, so that the runner never
// shares memory with the test. Watch streams what the test feeds with
// Assign and Stop.
type fakePlane struct {
	feed chan []Assignment

	mu        sync.Mutex
	tasks     map[string]ecs.Task
	history   map[string][]ecs.Task // the stored record after each Report
	instances []Instance
	changed   chan struct{} // closed and replaced on every change
	// beforeReport, if set, runs inside Report on the stored record
	// before the agent's update: a write the server makes meanwhile.
	beforeReport func(key string, stored *ecs.Task)
	// afterReport, if set, runs once Report has stored the record (and
	// released the plane's lock), before Report returns: for changes the
	// watch delivers at once.
	afterReport func(key string, stored ecs.Task)
}

func newFakePlane() *fakePlane {
	return &fakePlane{feed: make(chan []Assignment, 64), tasks: map[string]ecs.Task{},
		history: map[string][]ecs.Task{}, changed: make(chan struct{})}
}

func (p *fakePlane) Register(ctx context.Context, in Instance) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.instances = append(p.instances, in)
	p.notifyLocked()
	return nil
}

// Watch forwards what the test feeds until ctx ends, then closes.
func (p *fakePlane) Watch(ctx context.Context, _ string) (<-chan []Assignment, error) {
	out := make(chan []Assignment)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case b := <-p.feed:
				select {
				case out <- b:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

func (p *fakePlane) Report(ctx context.Context, key string, update func(*ecs.Task) error) (ecs.Task, error) {
	if err := ctx.Err(); err != nil {
		return ecs.Task{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	stored, ok := p.tasks[key]
	if !ok {
		return ecs.Task{}, fmt.Errorf("task %s: not found", key)
	}
	t := cloneTask(stored)
	if p.beforeReport != nil {
		p.beforeReport(key, &t)
	}
	if err := update(&t); err != nil {
		return ecs.Task{}, err
	}
	t = cloneTask(t)
	p.tasks[key] = t
	p.history[key] = append(p.history[key], t)
	p.notifyLocked()
	if after := p.afterReport; after != nil {
		p.mu.Unlock()
		after(key, cloneTask(t))
		p.mu.Lock()
	}
	return cloneTask(t), nil
}

func (p *fakePlane) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// Assign stores the task and sends its assignment to the agent.
func (p *fakePlane) Assign(as Assignment) {
	p.mu.Lock()
	as.Task = cloneTask(as.Task)
	p.tasks[as.Key] = as.Task
	p.notifyLocked()
	p.mu.Unlock()
	p.feed <- []Assignment{as}
}

// Stop does what StopTask does to the record (desired STOPPED,
// UserInitiated, stoppingAt) and sends the change to the agent.
func (p *fakePlane) Stop(as Assignment, reason string) {
	p.mu.Lock()
	t := cloneTask(p.tasks[as.Key])
	if t.DesiredStatus != ecs.TaskStopped {
		t.DesiredStatus, t.StopCode, t.StoppedReason, t.StoppingAt = ecs.TaskStopped, ecs.StopUserInitiated, reason, time.Now().UTC()
	}
	p.tasks[as.Key] = t
	p.notifyLocked()
	p.mu.Unlock()
	as.Task = cloneTask(t)
	p.feed <- []Assignment{as}
}

// SetBeforeReport installs (or, with nil, removes) the beforeReport hook.
func (p *fakePlane) SetBeforeReport(fn func(key string, stored *ecs.Task)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.beforeReport = fn
}

// Task returns the stored record.
func (p *fakePlane) Task(key string) ecs.Task {
	p.mu.Lock()
	defer p.mu.Unlock()
	return cloneTask(p.tasks[key])
}

// History returns the stored record after each Report, in order.
func (p *fakePlane) History(key string) []ecs.Task {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]ecs.Task, len(p.history[key]))
	for i, t := range p.history[key] {
		out[i] = cloneTask(t)
	}
	return out
}

// Statuses returns the LastStatus stored by each Report, in order.
func (p *fakePlane) Statuses(key string) []ecs.TaskStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]ecs.TaskStatus, len(p.history[key]))
	for i, t := range p.history[key] {
		out[i] = t.LastStatus
	}
	return out
}

// Instances returns every registration.
func (p *fakePlane) Instances() []Instance {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.instances)
}

// WaitFor waits until cond holds for the stored record of key, or ctx
// ends, and returns the record.
func (p *fakePlane) WaitFor(ctx context.Context, key string, cond func(ecs.Task) bool) (ecs.Task, error) {
	for {
		p.mu.Lock()
		t, ok := p.tasks[key]
		changed := p.changed
		p.mu.Unlock()
		if ok && cond(t) {
			return cloneTask(t), nil
		}
		select {
		case <-ctx.Done():
			return cloneTask(t), ctx.Err()
		case <-changed:
		}
	}
}

// cloneTask deep-copies a task through JSON, as the real store does.
func cloneTask(t ecs.Task) ecs.Task {
	b, err := json.Marshal(t)
	if err != nil {
		panic(err)
	}
	var out ecs.Task
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

var (
	_ Docker       = (*fakeDocker)(nil)
	_ ControlPlane = (*fakePlane)(nil)
)
