package agent

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
)

// policyRoles is Permissions over the real policy engine: each role's
// identity policy documents, by role ARN. A role it does not have is
// NoSuchEntity, as iam.Service says; err, if set, is a transient failure.
type policyRoles struct {
	roles map[string][]string
	err   error
}

func (p policyRoles) RoleAllowed(_ context.Context, roleARN, action, resource string, keys policy.Context) (policy.Decision, error) {
	if p.err != nil {
		return policy.NotApplicable, p.err
	}
	texts, ok := p.roles[roleARN]
	if !ok {
		return policy.NotApplicable, fault.New(fault.NotFound, "The role with name "+roleARN+" cannot be found.")
	}
	var docs []*policy.Document
	for _, text := range texts {
		d, err := policy.Parse(text, policy.Identity)
		if err != nil {
			return policy.NotApplicable, err
		}
		docs = append(docs, d)
	}
	return policy.Evaluate(policy.Request{Caller: policy.Caller{Type: policy.PrincipalAWS, ID: roleARN},
		Action: action, Resource: resource, Context: keys}, docs...), nil
}

const (
	execRole     = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"
	execSession  = "arn:aws:sts::000000000000:assumed-role/ecsTaskExecutionRole/0123456789abcdef0123456789abcdef"
	roleTaskARN  = "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef"
	paramARN     = "arn:aws:ssm:us-east-1:000000000000:parameter/app/db-url"
	secretARN    = "arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-AbCdEf"
	ownRegistry  = "127.0.0.1:4566"
	ownImg       = ownRegistry + "/app:1.0"
	repoARN      = "arn:aws:ecr:us-east-1:000000000000:repository/app"
	resourceInit = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "

	// taskExecutionPolicy is AmazonECSTaskExecutionRolePolicy's document.
	taskExecutionPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken",
		"ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:BatchGetImage","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}`
	readSecrets = `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"ssm:GetParameters","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/app/*"},
		{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-*"}]}`
)

func allow(actions, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":` + actions + `,"Resource":"` + resource + `"}]}`
}

// denied is IAM's AccessDeniedException for the execution role's session,
// without its request ID.
func denied(action, resource string) string {
	return "AccessDeniedException: User: " + execSession + " is not authorized to perform: " + action +
		" on resource: " + resource + " because no identity-based policy allows the " + action + " action"
}

var requestIDSuffix = regexp.MustCompile(` status code: 400, request id: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestExecutionRoleDenial(t *testing.T) {
	withSecret := func(valueFrom string) ecs.ContainerDefinition {
		return ecs.ContainerDefinition{Name: "app", Image: "busybox:1.36", Secrets: []ecs.Secret{{Name: "DB", ValueFrom: valueFrom}}}
	}
	image := func(ref string) ecs.ContainerDefinition { return ecs.ContainerDefinition{Name: "app", Image: ref} }
	cases := []struct {
		name      string
		roles     map[string][]string // nil: IAM not enforced
		role      string              // the task definition's execution role
		override  string              // the RunTask override's
		container ecs.ContainerDefinition
		pulled    bool
		// want is the stoppedReason ("" starts the task); an
		// AccessDeniedException ends with its status code and request ID.
		want       string
		withStatus bool
	}{
		{name: "not enforced", container: withSecret("/app/db-url"), role: execRole},
		{name: "secrets and own image allowed", roles: map[string][]string{execRole: {taskExecutionPolicy, readSecrets}}, role: execRole,
			container: ecs.ContainerDefinition{Name: "app", Image: ownImg, Secrets: []ecs.Secret{
				{Name: "URL", ValueFrom: "/app/db-url"}, {Name: "PW", ValueFrom: secretARN + ":password::"}}}},
		{name: "ssm parameter by name", roles: map[string][]string{execRole: {taskExecutionPolicy}}, role: execRole,
			container: withSecret("/app/db-url"), withStatus: true,
			want: resourceInit + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " + denied("ssm:GetParameters", paramARN)},
		{name: "ssm parameter by ARN", roles: map[string][]string{execRole: {taskExecutionPolicy}}, role: execRole,
			container: withSecret("arn:aws:ssm:us-east-1:000000000000:parameter/other"), withStatus: true,
			want: resourceInit + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " +
				denied("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/other")},
		{name: "explicit deny", role: execRole, container: withSecret("/app/db-url"), withStatus: true,
			roles: map[string][]string{execRole: {readSecrets, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:*","Resource":"*"}]}`}},
			want: resourceInit + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: " + execSession +
				" is not authorized to perform: ssm:GetParameters on resource: " + paramARN + " with an explicit deny in an identity-based policy"},
		{name: "secrets manager, json key", roles: map[string][]string{execRole: {taskExecutionPolicy}}, role: execRole,
			container: withSecret(secretARN + ":password:AWSCURRENT:"), withStatus: true,
			want: resourceInit + "unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " + secretARN +
				" from secrets manager: " + denied("secretsmanager:GetSecretValue", secretARN)},
		{name: "log secret option", roles: map[string][]string{execRole: {taskExecutionPolicy}}, role: execRole, withStatus: true,
			container: ecs.ContainerDefinition{Name: "app", Image: "busybox:1.36", LogConfiguration: &ecs.LogConfiguration{
				LogDriver: ecs.LogDriverAWSLogs, SecretOptions: []ecs.Secret{{Name: "token", ValueFrom: "/app/db-url"}}}},
			want: resourceInit + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " + denied("ssm:GetParameters", paramARN)},
		{name: "private registry credentials", roles: map[string][]string{execRole: {taskExecutionPolicy}}, role: execRole, withStatus: true,
			container: ecs.ContainerDefinition{Name: "app", Image: "registry.example.com/app:1",
				RepositoryCredentials: &ecs.RepositoryCredentials{CredentialsParameter: secretARN}},
			want: resourceInit + "unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " + secretARN +
				" from secrets manager: " + denied("secretsmanager:GetSecretValue", secretARN)},
		{name: "the override's role, by name", roles: map[string][]string{execRole: {taskExecutionPolicy}, "arn:aws:iam::000000000000:role/reader": {readSecrets}},
			role: execRole, override: "reader", container: withSecret("/app/db-url")},
		{name: "a role that does not exist allows nothing", roles: map[string][]string{}, role: execRole,
			container: withSecret("/app/db-url"), withStatus: true,
			want: resourceInit + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " + denied("ssm:GetParameters", paramARN)},
		{name: "secret without an execution role", roles: map[string][]string{}, container: withSecret(secretARN),
			want: resourceInit + "ASM secret resource: unable to find execution role credentials"},
		{name: "own image without ecr:GetAuthorizationToken", role: execRole, container: image(ownImg), withStatus: true,
			roles: map[string][]string{execRole: {allow(`["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]`, "*")}},
			want:  resourceInit + "unable to retrieve ecr registry auth: service call has been retried 1 time(s): " + denied("ecr:GetAuthorizationToken", "*")},
		{name: "own image without ecr:BatchGetImage", role: execRole, container: image(ownImg),
			roles: map[string][]string{execRole: {allow(`["ecr:GetAuthorizationToken","ecr:GetDownloadUrlForLayer"]`, "*")}},
			want: "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + ownImg +
				": pulling from host " + ownRegistry + " failed with status code [manifests 1.0]: 403 Forbidden"},
		{name: "own image by digest, another repository's permission", role: execRole, container: image(ownRegistry + "/team/api@sha256:0123"),
			roles: map[string][]string{execRole: {allow(`"ecr:GetAuthorizationToken"`, "*"), allow(`"ecr:*"`, repoARN)}},
			want: "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + ownRegistry +
				"/team/api@sha256:0123: pulling from host " + ownRegistry + " failed with status code [manifests sha256:0123]: 403 Forbidden"},
		{name: "own image, permission on its repository", role: execRole, container: image(ownRegistry + "/app"),
			roles: map[string][]string{execRole: {allow(`"ecr:GetAuthorizationToken"`, "*"), allow(`"ecr:*"`, repoARN)}}},
		{name: "own image without ecr:GetDownloadUrlForLayer", role: execRole, container: image(ownImg),
			roles: map[string][]string{execRole: {allow(`["ecr:GetAuthorizationToken","ecr:BatchGetImage"]`, "*")}},
			want: "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: " +
				"unexpected status code http://" + ownRegistry + "/v2/app/blobs: 403 Forbidden"},
		{name: "own image without an execution role", roles: map[string][]string{}, container: image(ownImg),
			want: "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + ownImg +
				": pulling from host " + ownRegistry + " failed with status code [manifests 1.0]: 401 Unauthorized"},
		{name: "images elsewhere need no permission", roles: map[string][]string{execRole: {}}, role: execRole,
			container: image("registry.example.com/app:1.0")},
		{name: "images pulled already are not checked again", roles: map[string][]string{execRole: {}}, role: execRole,
			container: image(ownImg), pulled: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Registry: func() string { return ownRegistry }}
			if tc.roles != nil {
				cfg.Permissions = policyRoles{roles: tc.roles}
			}
			task := ecs.Task{ARN: roleTaskARN, Overrides: ecs.TaskOverride{ExecutionRoleARN: tc.override}}
			if tc.pulled {
				task.PullStartedAt, task.PullStoppedAt = time.Now(), time.Now()
			}
			r := &runner{a: &Agent{cfg: cfg}, task: task,
				def: ecs.TaskDefinition{ExecutionRoleARN: tc.role, ContainerDefinitions: []ecs.ContainerDefinition{tc.container}}}
			got, err := r.executionRoleDenial(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.withStatus {
				if again, _ := r.executionRoleDenial(context.Background()); again != got {
					t.Fatalf("a second try gave another reason:\n%q\n%q", got, again)
				}
				if !requestIDSuffix.MatchString(got) {
					t.Fatalf("reason %q has no status code and request ID", got)
				}
				got = requestIDSuffix.ReplaceAllString(got, "")
			}
			if got != tc.want {
				t.Errorf("reason\n got %q\nwant %q", got, tc.want)
			}
		})
	}

	// A role that cannot be read is a transient failure, not a reason.
	r := &runner{a: &Agent{cfg: Config{Permissions: policyRoles{err: errors.New("store closed")}}},
		task: ecs.Task{ARN: roleTaskARN}, def: ecs.TaskDefinition{ExecutionRoleARN: execRole, ContainerDefinitions: []ecs.ContainerDefinition{withSecret("/x")}}}
	if reason, err := r.executionRoleDenial(context.Background()); err == nil || reason != "" {
		t.Errorf("transient failure: reason %q err %v", reason, err)
	}
}

// TestRunnerExecutionRoleDenied: with IAM enforced, a task whose
// execution role may not pull its image from Quayside's registry stops
// with TaskFailedToStart before anything is pulled or created; with the
// permission it runs.
func TestRunnerExecutionRoleDenied(t *testing.T) {
	roles := policyRoles{roles: map[string][]string{
		execRole:                                {allow(`"ecr:GetAuthorizationToken"`, "*")},
		"arn:aws:iam::000000000000:role/puller": {taskExecutionPolicy},
	}}
	h := newHarnessWith(t, nil, func(c *Config) {
		c.Permissions, c.Registry = roles, func() string { return ownRegistry }
	})
	def := fargateDef(ecs.ContainerDefinition{Name: "app", Image: ownImg, Essential: true})
	def.ExecutionRoleARN = execRole
	as := newAssignment(taskID("denied"), def)
	h.p.Assign(as)
	task := h.waitStatus(as.Key, ecs.TaskStopped)
	want := "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + ownImg +
		": pulling from host " + ownRegistry + " failed with status code [manifests 1.0]: 403 Forbidden"
	if task.StopCode != ecs.StopTaskFailedToStart || task.StoppedReason != want {
		t.Errorf("stopCode %q reason %q, want TaskFailedToStart %q", task.StopCode, task.StoppedReason, want)
	}
	if slices.Contains(h.d.Pulls(), ownImg) {
		t.Errorf("the image was pulled: %v", h.d.Pulls())
	}
	h.waitUntil("the runner has exited", func() bool { return h.runners() == 0 })
	if cs := h.d.Containers(); len(cs) != 0 {
		t.Errorf("containers left: %v", containerNames(cs))
	}

	def.ExecutionRoleARN = "arn:aws:iam::000000000000:role/puller"
	as = newAssignment(taskID("allowed"), def)
	h.p.Assign(as)
	h.waitStatus(as.Key, ecs.TaskRunning)
	if !slices.Contains(h.d.Pulls(), ownImg) {
		t.Errorf("the image was not pulled: %v", h.d.Pulls())
	}
}
