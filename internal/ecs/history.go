package ecs

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// Service history: the service deployments and service revisions that
// ListServiceDeployments, DescribeServiceDeployments and
// DescribeServiceRevisions show.
//
// A service revision snapshots what a deployment runs. ECS creates one
// for every deployment it starts, except a rollback, which reuses the
// revision it returns to; a revision's ID is the digits of the
// ecs-svc/<digits> deployment that created it (as AWS shows them). A
// service deployment moves a service from its source revisions (what ran
// before) to a target revision:
//
//	new PRIMARY ──▶ IN_PROGRESS ── rollout COMPLETED ──────────────▶ SUCCESSFUL
//	                 │   │   └──── rollout FAILED, no rollback ────▶ STOPPED
//	                 │   └──────── a newer deployment starts ──────▶ STOPPED
//	                 │ StopServiceDeployment ROLLBACK
//	                 ▼
//	        ROLLBACK_REQUESTED
//	                 │ the rollback deployment starts (the circuit breaker's
//	                 ▼ rollback comes straight here from IN_PROGRESS)
//	        ROLLBACK_IN_PROGRESS ── rollback COMPLETED ──▶ ROLLBACK_SUCCESSFUL
//	                             ── rollback FAILED ─────▶ ROLLBACK_FAILED
//	                             ── a newer deployment ──▶ STOPPED
//
// DiffServiceHistory is the pure half: from a service before and after a
// change, and the unfinished service deployments, it computes the records
// to write. Package ecsdb stores them.

// ServiceDeploymentStatus is where a service deployment is in its life.
type ServiceDeploymentStatus string

// Service deployment statuses. PENDING and STOP_REQUESTED exist on AWS
// but Quayside's deployments start at once and stop by rolling back, so
// it never shows them.
const (
	ServiceDeploymentPending            ServiceDeploymentStatus = "PENDING"
	ServiceDeploymentInProgress         ServiceDeploymentStatus = "IN_PROGRESS"
	ServiceDeploymentSuccessful         ServiceDeploymentStatus = "SUCCESSFUL"
	ServiceDeploymentStopped            ServiceDeploymentStatus = "STOPPED"
	ServiceDeploymentStopRequested      ServiceDeploymentStatus = "STOP_REQUESTED"
	ServiceDeploymentRollbackRequested  ServiceDeploymentStatus = "ROLLBACK_REQUESTED"
	ServiceDeploymentRollbackInProgress ServiceDeploymentStatus = "ROLLBACK_IN_PROGRESS"
	ServiceDeploymentRollbackSuccessful ServiceDeploymentStatus = "ROLLBACK_SUCCESSFUL"
	ServiceDeploymentRollbackFailed     ServiceDeploymentStatus = "ROLLBACK_FAILED"
)

// Finished reports whether the status is final (AWS's "Completed" stage).
func (s ServiceDeploymentStatus) Finished() bool {
	switch s {
	case ServiceDeploymentSuccessful, ServiceDeploymentStopped, ServiceDeploymentRollbackSuccessful, ServiceDeploymentRollbackFailed:
		return true
	}
	return false
}

// MonitorStatus is the state of a service deployment's circuit breaker or
// alarms.
type MonitorStatus string

// Monitor statuses.
const (
	MonitorTriggered  MonitorStatus = "TRIGGERED"
	MonitorMonitoring MonitorStatus = "MONITORING"
	MonitorComplete   MonitorStatus = "MONITORING_COMPLETE"
	MonitorDisabled   MonitorStatus = "DISABLED"
)

// Reasons Quayside writes in the history. AWS's wording is not confirmed.
const (
	ReasonServiceDeploymentReplaced = "A newer service deployment started."
	ReasonRollbackCircuitBreaker    = "The deployment circuit breaker initiated a rollback."
	ReasonRollbackRequested         = "A rollback was requested with StopServiceDeployment."
)

// HistoryRetention is how long finished service deployments are kept:
// AWS shows the last 90 days.
const HistoryRetention = 90 * 24 * time.Hour

// ServiceDeployment is one deployment of a service as its history shows
// it.
type ServiceDeployment struct {
	ID string `json:"id"`
	// Seq orders a service's deployments by creation (newest first in
	// listings, whatever the clock said).
	Seq          int64                   `json:"seq"`
	ServiceARN   string                  `json:"serviceArn"`
	ClusterARN   string                  `json:"clusterArn"`
	Status       ServiceDeploymentStatus `json:"status"`
	StatusReason string                  `json:"statusReason,omitempty"`

	Source []RevisionSummary `json:"source,omitempty"`
	Target RevisionSummary   `json:"target"`

	CreatedAt  time.Time `json:"createdAt"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	StoppedAt  time.Time `json:"stoppedAt,omitzero"`
	UpdatedAt  time.Time `json:"updatedAt"`

	DeploymentConfiguration DeploymentConfiguration `json:"deploymentConfiguration"`
	Rollback                *DeploymentRollback     `json:"rollback,omitempty"`
	CircuitBreaker          CircuitBreakerMonitor   `json:"circuitBreaker"`
	Alarms                  AlarmMonitor            `json:"alarms"`
}

// ARN is arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>.
func (d *ServiceDeployment) ARN() string {
	return serviceChildARN(d.ServiceARN, ResourceServiceDeployment, d.ID)
}

// RevisionARN is the ARN of one of the service's revisions.
func (d *ServiceDeployment) RevisionARN(id string) string {
	return serviceChildARN(d.ServiceARN, ResourceServiceRevision, id)
}

// RevisionSummary is a revision's part in a service deployment, with the
// task counts of the deployment that runs it.
type RevisionSummary struct {
	RevisionID   string `json:"revisionId"`
	DeploymentID string `json:"deploymentId"` // ecs-svc/<digits>
	Requested    int    `json:"requested"`
	Running      int    `json:"running"`
	Pending      int    `json:"pending"`
}

// DeploymentRollback is a service deployment's rollback.
type DeploymentRollback struct {
	Reason     string    `json:"reason"`
	StartedAt  time.Time `json:"startedAt"`
	RevisionID string    `json:"revisionId"` // the revision rolled back to
	// DeploymentID is the ecs-svc/ deployment that runs the rollback;
	// empty while the rollback is only requested.
	DeploymentID string `json:"deploymentId,omitempty"`
}

// CircuitBreakerMonitor is the circuit breaker as a service deployment
// shows it.
type CircuitBreakerMonitor struct {
	Status       MonitorStatus `json:"status"`
	FailureCount int           `json:"failureCount"`
	Threshold    int           `json:"threshold"`
}

// AlarmMonitor is the CloudWatch alarms check of a service deployment.
// Quayside does not evaluate alarms, so none ever triggers.
type AlarmMonitor struct {
	Status     MonitorStatus `json:"status"`
	AlarmNames []string      `json:"alarmNames,omitempty"`
}

// ServiceRevision is an immutable snapshot of what a deployment runs.
type ServiceRevision struct {
	ID                       string                         `json:"id"`
	ServiceARN               string                         `json:"serviceArn"`
	ClusterARN               string                         `json:"clusterArn"`
	TaskDefinition           string                         `json:"taskDefinition"`
	LaunchType               LaunchType                     `json:"launchType,omitempty"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	// PlatformVersion is the version resolved (1.4.0), as AWS shows it;
	// ServicePlatformVersion is what the service asked for (LATEST), which
	// a rollback restores.
	PlatformVersion        string                `json:"platformVersion,omitempty"`
	ServicePlatformVersion string                `json:"servicePlatformVersion,omitempty"`
	PlatformFamily         string                `json:"platformFamily,omitempty"`
	LoadBalancers          []LoadBalancer        `json:"loadBalancers,omitempty"`
	ServiceRegistries      []ServiceRegistry     `json:"serviceRegistries,omitempty"`
	NetworkConfiguration   *NetworkConfiguration `json:"networkConfiguration,omitempty"`
	ContainerImages        []ContainerImage      `json:"containerImages,omitempty"`
	CreatedAt              time.Time             `json:"createdAt"`
}

// ARN is arn:aws:ecs:<region>:<account>:service-revision/<cluster>/<service>/<id>.
func (r *ServiceRevision) ARN() string {
	return serviceChildARN(r.ServiceARN, ResourceServiceRevision, r.ID)
}

// ContainerImage is a container's image in a revision. The digest is
// known only when the task definition pins one.
type ContainerImage struct {
	ContainerName string `json:"containerName"`
	Image         string `json:"image"`
	ImageDigest   string `json:"imageDigest,omitempty"`
}

// ContainerImagesOf lists a task definition's container images.
func ContainerImagesOf(td *TaskDefinition) []ContainerImage {
	var out []ContainerImage
	for _, c := range td.ContainerDefinitions {
		img := ContainerImage{ContainerName: c.Name, Image: c.Image}
		if _, digest, ok := strings.Cut(c.Image, "@"); ok {
			img.ImageDigest = digest
		}
		out = append(out, img)
	}
	return out
}

// Resource types of the history's ARNs.
const (
	ResourceServiceDeployment = "service-deployment"
	ResourceServiceRevision   = "service-revision"
)

// serviceChildARN turns arn:...:service/<cluster>/<name> into
// arn:...:<resource>/<cluster>/<name>/<id>.
func serviceChildARN(serviceARN, resource, id string) string {
	a, err := ParseARN(serviceARN)
	if err != nil {
		return ""
	}
	a.Resource = resource + "/" + strings.TrimPrefix(a.Resource, ResourceService+"/") + "/" + id
	return a.String()
}

// ServiceChildRef names a service deployment or revision by ARN.
type ServiceChildRef struct {
	Scope
	Cluster, Service, ID string
}

// ParseServiceDeploymentARN parses arn:...:service-deployment/<cluster>/<service>/<id>.
func ParseServiceDeploymentARN(s string) (ServiceChildRef, error) {
	return parseServiceChild(s, ResourceServiceDeployment)
}

// ParseServiceRevisionARN parses arn:...:service-revision/<cluster>/<service>/<id>.
func ParseServiceRevisionARN(s string) (ServiceChildRef, error) {
	return parseServiceChild(s, ResourceServiceRevision)
}

func parseServiceChild(s, resource string) (ServiceChildRef, error) {
	a, segs, err := parseECSARN(s, resource)
	if err != nil {
		return ServiceChildRef{}, err
	}
	if len(segs) != 3 {
		return ServiceChildRef{}, invalidIdentifier("Unexpected number of separators")
	}
	return ServiceChildRef{Scope: Scope{Region: a.Region, AccountID: a.AccountID}, Cluster: segs[0], Service: segs[1], ID: segs[2]}, nil
}

// ServiceDeploymentID returns a service deployment ID: 21 characters of
// letters, digits, '-' and '_', as in AWS's examples
// (ejGvqq2ilnbKT9qj0vLJe; one SDK sample has 22).
func (g *IDs) ServiceDeploymentID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	b := g.read(21)
	for i := range b {
		b[i] = alphabet[b[i]&63]
	}
	return string(b)
}

// RevisionIDOf is the ID of the revision a deployment creates: the
// digits of its ecs-svc/ ID.
func RevisionIDOf(deploymentID string) string {
	return strings.TrimPrefix(deploymentID, DeploymentIDPrefix)
}

// ServiceHistory is the bookkeeping that ties a service's deployments to
// its history.
type ServiceHistory struct {
	Seq  int64    `json:"seq"`            // the last service deployment's Seq
	Open []string `json:"open,omitempty"` // unfinished service deployments, by ID
	// Revisions maps the ecs-svc/ deployments the service still has (and
	// its last completed one) to the revisions they run.
	Revisions map[string]string `json:"revisions,omitempty"`
}

// HistoryInput is what DiffServiceHistory looks at.
type HistoryInput struct {
	// Before is the service as stored, the zero Service when it is new;
	// After is the service about to be written.
	Before, After Service
	History       ServiceHistory
	Open          []ServiceDeployment // the records History.Open names
	Now           time.Time
	NewID         func() string // a new service deployment ID
}

// HistoryChange is what a change to a service writes to its history.
type HistoryChange struct {
	// Purge removes the service's whole history first: the service was
	// deleted, or is created anew under an old name.
	Purge       bool
	History     ServiceHistory
	Deployments []ServiceDeployment // new and changed records
	Revisions   []ServiceRevision   // revisions met for the first time
}

// DiffServiceHistory computes the history records a change to a service
// writes. It looks at state, not at edges: a record follows what its
// deployment shows now, so a missed call is caught up by the next one.
//
//   - A PRIMARY deployment the history has not seen starts a service
//     deployment (IN_PROGRESS), and stops the unfinished ones (STOPPED,
//     replaced) — unless it is a rollback: the open record was
//     ROLLBACK_REQUESTED, or its deployment has just failed (FAILED, or
//     the PRIMARY before and gone now) and the new PRIMARY returns to the
//     service's last completed deployment (the circuit breaker's
//     rollback). That record goes ROLLBACK_IN_PROGRESS instead.
//   - IN_PROGRESS follows its deployment's rollout: COMPLETED gives
//     SUCCESSFUL, FAILED gives STOPPED (no rollback).
//   - ROLLBACK_IN_PROGRESS follows the rollback deployment: COMPLETED
//     gives ROLLBACK_SUCCESSFUL, FAILED gives ROLLBACK_FAILED.
//   - Task counts follow the deployments until the record finishes.
func DiffServiceHistory(in HistoryInput) HistoryChange {
	if in.After.Status == ServiceInactive {
		return HistoryChange{Purge: true}
	}
	h := &historyDiff{in: in, deps: map[string]*Deployment{}}
	h.out.History = ServiceHistory{Seq: in.History.Seq, Revisions: maps.Clone(in.History.Revisions)}
	if in.Before.Status == "" || in.Before.Status == ServiceInactive {
		h.out.Purge = true
		h.out.History = ServiceHistory{}
	} else {
		for _, r := range in.Open {
			h.recs = append(h.recs, cloneRecord(r))
		}
	}
	if h.out.History.Revisions == nil {
		h.out.History.Revisions = map[string]string{}
	}
	for i := range in.After.Deployments {
		h.deps[in.After.Deployments[i].ID] = &in.After.Deployments[i]
	}
	p, _ := in.After.Primary()
	var fresh bool
	if p != nil {
		_, seen := h.out.History.Revisions[p.ID]
		fresh = !seen
	}
	var rollback *ServiceDeployment
	if fresh {
		if r, byBreaker := h.rollingBack(p); r != nil {
			rollback = r
			h.startRollback(r, p, byBreaker)
		}
	}
	for i := range h.recs {
		h.advance(&h.recs[i])
	}
	if fresh && rollback == nil {
		for i := range h.recs {
			if r := &h.recs[i]; !r.Status.Finished() {
				r.Status, r.StatusReason = ServiceDeploymentStopped, ReasonServiceDeploymentReplaced
				r.StoppedAt, r.FinishedAt = in.Now, in.Now
				h.completeMonitors(r)
			}
		}
		r := h.create(p)
		h.advance(&r)
		h.created = append(h.created, r)
	}
	h.finish()
	return h.out
}

type historyDiff struct {
	in      HistoryInput
	out     HistoryChange
	deps    map[string]*Deployment // the service's deployments after the change
	recs    []ServiceDeployment    // the open records, being changed
	created []ServiceDeployment
}

func cloneRecord(r ServiceDeployment) ServiceDeployment {
	r.Source = slices.Clone(r.Source)
	r.Alarms.AlarmNames = slices.Clone(r.Alarms.AlarmNames)
	if r.Rollback != nil {
		rb := *r.Rollback
		r.Rollback = &rb
	}
	return r
}

// rollingBack finds the open record that the new PRIMARY p rolls back:
// one whose rollback was requested, or the circuit breaker's, which
// returns to the last completed deployment when the PRIMARY fails.
func (h *historyDiff) rollingBack(p *Deployment) (r *ServiceDeployment, byBreaker bool) {
	for i := range h.recs {
		if h.recs[i].Status == ServiceDeploymentRollbackRequested {
			return &h.recs[i], false
		}
	}
	lc := h.in.After.LastCompleted
	if lc == nil || lc.TaskDefinition != p.TaskDefinition {
		return nil, false
	}
	for i := range h.recs {
		r := &h.recs[i]
		if _, failed := h.failed(r.Target.DeploymentID); r.Status == ServiceDeploymentInProgress && r.Target.DeploymentID != p.ID && failed {
			return r, true
		}
	}
	return nil, false
}

// failed reports whether a deployment has failed: its rollout is FAILED,
// or it was the PRIMARY and is gone. The scheduler drops a deployment
// without tasks in the very step that fails it and starts its rollback,
// and that is the only way a PRIMARY disappears. d is nil when it is gone.
func (h *historyDiff) failed(id string) (d *Deployment, failed bool) {
	if d := h.deps[id]; d != nil {
		return d, d.RolloutState == RolloutFailed
	}
	bp, ok := h.in.Before.Primary()
	return nil, ok && bp.ID == id
}

func (h *historyDiff) startRollback(r *ServiceDeployment, p *Deployment, byBreaker bool) {
	if byBreaker {
		reason, failures := RolloutReasonCircuitBreaker, max(r.CircuitBreaker.FailureCount, r.CircuitBreaker.Threshold)
		if d, _ := h.failed(r.Target.DeploymentID); d != nil {
			reason, failures = d.RolloutStateReason, d.FailedTasks
		}
		r.StatusReason = reason
		r.CircuitBreaker.Status, r.CircuitBreaker.FailureCount = MonitorTriggered, failures
		r.Rollback = &DeploymentRollback{Reason: ReasonRollbackCircuitBreaker, StartedAt: h.in.Now,
			RevisionID: h.revisionOf(*h.in.After.LastCompleted)}
	}
	if r.Rollback == nil {
		r.Rollback = &DeploymentRollback{Reason: ReasonRollbackRequested, StartedAt: h.in.Now}
	}
	if r.Rollback.RevisionID == "" {
		r.Rollback.RevisionID = h.revisionOf(*p)
	}
	r.Rollback.DeploymentID = p.ID
	h.out.History.Revisions[p.ID] = r.Rollback.RevisionID
	r.Status = ServiceDeploymentRollbackInProgress
}

// advance moves an unfinished record along with its deployments.
func (h *historyDiff) advance(r *ServiceDeployment) {
	now := h.in.Now
	switch r.Status {
	case ServiceDeploymentInProgress, ServiceDeploymentPending:
		d := h.deps[r.Target.DeploymentID]
		if d == nil {
			break
		}
		if r.CircuitBreaker.Status == MonitorMonitoring {
			r.CircuitBreaker.FailureCount = d.FailedTasks
			r.CircuitBreaker.Threshold = d.DeploymentConfiguration.CircuitBreaker.FailureThreshold(h.desired(d))
		}
		switch d.RolloutState {
		case RolloutCompleted:
			r.Status, r.FinishedAt = ServiceDeploymentSuccessful, now
			h.completeMonitors(r)
		case RolloutFailed:
			r.Status, r.StatusReason, r.StoppedAt, r.FinishedAt = ServiceDeploymentStopped, d.RolloutStateReason, now, now
			if r.CircuitBreaker.Status != MonitorDisabled {
				r.CircuitBreaker.Status = MonitorTriggered
			}
			h.completeMonitors(r)
		}
	case ServiceDeploymentRollbackInProgress:
		d, failed := h.failed(r.Rollback.DeploymentID)
		switch {
		case failed:
			r.Status, r.StatusReason, r.FinishedAt = ServiceDeploymentRollbackFailed, RolloutReasonCircuitBreaker, now
			if d != nil {
				r.StatusReason = d.RolloutStateReason
			}
			h.completeMonitors(r)
		case d != nil && d.RolloutState == RolloutCompleted:
			r.Status, r.FinishedAt = ServiceDeploymentRollbackSuccessful, now
			h.completeMonitors(r)
		}
	}
	h.count(&r.Target)
	for i := range r.Source {
		h.count(&r.Source[i])
	}
}

// count copies a deployment's task counts; a deployment that is gone has
// no tasks left.
func (h *historyDiff) count(s *RevisionSummary) {
	if d := h.deps[s.DeploymentID]; d != nil {
		s.Requested, s.Running, s.Pending = d.DesiredCount, d.RunningCount, d.PendingCount
		return
	}
	s.Running, s.Pending = 0, 0
}

func (h *historyDiff) desired(d *Deployment) int {
	if d.DesiredCount > 0 {
		return d.DesiredCount
	}
	return h.in.After.DesiredCount
}

func (h *historyDiff) completeMonitors(r *ServiceDeployment) {
	if r.CircuitBreaker.Status == MonitorMonitoring {
		r.CircuitBreaker.Status = MonitorComplete
	}
	if r.Alarms.Status == MonitorMonitoring {
		r.Alarms.Status = MonitorComplete
	}
}

// create starts the service deployment of a new PRIMARY deployment, from
// the service's other deployments.
func (h *historyDiff) create(p *Deployment) ServiceDeployment {
	svc := &h.in.After
	h.out.History.Seq++
	rev := RevisionIDOf(p.ID)
	h.out.History.Revisions[p.ID] = rev
	h.addRevision(rev, p, true)
	at := p.CreatedAt
	if at.IsZero() {
		at = h.in.Now
	}
	cfg := p.DeploymentConfiguration
	r := ServiceDeployment{
		ID: h.in.NewID(), Seq: h.out.History.Seq, ServiceARN: svc.ARN, ClusterARN: svc.ClusterARN,
		Status: ServiceDeploymentInProgress, Target: RevisionSummary{RevisionID: rev, DeploymentID: p.ID},
		CreatedAt: at, StartedAt: at, UpdatedAt: h.in.Now, DeploymentConfiguration: cfg,
		CircuitBreaker: CircuitBreakerMonitor{Status: MonitorDisabled, Threshold: cfg.CircuitBreaker.FailureThreshold(h.desired(p))},
		Alarms:         AlarmMonitor{Status: MonitorDisabled, AlarmNames: slices.Clone(cfg.Alarms.AlarmNames)},
	}
	if cfg.CircuitBreaker.Enable {
		r.CircuitBreaker.Status = MonitorMonitoring
	}
	if cfg.Alarms.Enable {
		r.Alarms.Status = MonitorMonitoring
	}
	for _, d := range svc.Deployments {
		if d.ID != p.ID {
			r.Source = append(r.Source, RevisionSummary{RevisionID: h.revisionOf(d), DeploymentID: d.ID})
		}
	}
	return r
}

// revisionOf is the revision a deployment runs, recording one from the
// deployment itself if the history has never seen it (a deployment made
// before the history was kept).
func (h *historyDiff) revisionOf(d Deployment) string {
	if id, ok := h.out.History.Revisions[d.ID]; ok {
		return id
	}
	id := RevisionIDOf(d.ID)
	h.out.History.Revisions[d.ID] = id
	h.addRevision(id, &d, false)
	return id
}

// addRevision snapshots a deployment. Load balancers and registries are
// the service's: deployments do not keep their own.
func (h *historyDiff) addRevision(id string, d *Deployment, current bool) {
	svc := &h.in.After
	r := ServiceRevision{
		ID: id, ServiceARN: svc.ARN, ClusterARN: svc.ClusterARN, TaskDefinition: d.TaskDefinition,
		LaunchType: d.LaunchType, CapacityProviderStrategy: slices.Clone(d.CapacityProviderStrategy),
		PlatformVersion: d.PlatformVersion, ServicePlatformVersion: d.PlatformVersion, PlatformFamily: d.PlatformFamily,
		LoadBalancers: slices.Clone(svc.LoadBalancers), ServiceRegistries: slices.Clone(svc.ServiceRegistries),
		NetworkConfiguration: d.NetworkConfiguration, CreatedAt: d.CreatedAt,
	}
	if current {
		r.ServicePlatformVersion = svc.PlatformVersion
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = h.in.Now
	}
	h.out.Revisions = append(h.out.Revisions, r)
}

// finish lists the records that changed and the ones still open, and
// keeps the revision map to the deployments that may still matter.
func (h *historyDiff) finish() {
	orig := map[string]ServiceDeployment{}
	for _, r := range h.in.Open {
		orig[r.ID] = r
	}
	keep := map[string]bool{}
	for id := range h.deps {
		keep[id] = true
	}
	if lc := h.in.After.LastCompleted; lc != nil {
		keep[lc.ID] = true
	}
	all := append(h.recs, h.created...)
	for _, r := range all {
		if o, ok := orig[r.ID]; !ok || !reflect.DeepEqual(o, r) {
			if ok {
				r.UpdatedAt = h.in.Now
			}
			h.out.Deployments = append(h.out.Deployments, r)
		}
		if !r.Status.Finished() {
			h.out.History.Open = append(h.out.History.Open, r.ID)
			keep[r.Target.DeploymentID] = true
			if r.Rollback != nil {
				keep[r.Rollback.DeploymentID] = true
			}
		}
	}
	maps.DeleteFunc(h.out.History.Revisions, func(id, _ string) bool { return !keep[id] })
}
