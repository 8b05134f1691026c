package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/quayside/quayside/internal/fault"
	"github.com/quayside/quayside/internal/policy"
)

// Permissions decides what an IAM role may do, for a Quayside that
// enforces IAM (quayside up --iam-enforce); iam.Service satisfies it. A
// role that does not exist is a fault.NotFound error and allows nothing.
type Permissions interface {
	RoleAllowed(ctx context.Context, roleARN, action, resource string, keys policy.Context) (policy.Decision, error)
}

// The calls ECS makes with a task's execution role before it creates the
// containers, and what it says when the role may not make them. The text
// after "AccessDeniedException: " is IAM's, as the SDKs print it.
const (
	resourceInitPrefix  = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: "
	actionGetParameters = "ssm:GetParameters"
	actionGetSecret     = "secretsmanager:GetSecretValue"
	actionECRToken      = "ecr:GetAuthorizationToken"
	actionBatchGetImage = "ecr:BatchGetImage"
	actionGetLayer      = "ecr:GetDownloadUrlForLayer"
)

// executionRoleDenial checks, when IAM is enforced, that the task's
// execution role may make the calls ECS makes with it at start, in ECS's
// order: its secrets and log secret options (ssm:GetParameters,
// secretsmanager:GetSecretValue), private registry credentials, then for
// images in Quayside's own registry ecr:GetAuthorizationToken,
// ecr:BatchGetImage and ecr:GetDownloadUrlForLayer. It returns the
// stoppedReason of the first call the role may not make, or "". Its error
// is transient (the role could not be read).
func (r *runner) executionRoleDenial(ctx context.Context) (string, error) {
	perms := r.a.cfg.Permissions
	if perms == nil {
		return "", nil
	}
	region, account := r.scope()
	role := r.executionRoleARN(account)
	allowed := func(action, resource string) (policy.Decision, error) {
		d, err := perms.RoleAllowed(ctx, role, action, resource, nil)
		var fe *fault.Error
		if errors.As(err, &fe) && !errors.Is(err, fault.Internal) {
			return policy.NotApplicable, nil // a role that does not exist (or a malformed ARN) allows nothing
		}
		return d, err
	}
	for _, c := range r.def.ContainerDefinitions {
		refs := make([]string, 0, len(c.Secrets))
		for _, s := range c.Secrets {
			refs = append(refs, s.ValueFrom)
		}
		if c.LogConfiguration != nil {
			for _, s := range c.LogConfiguration.SecretOptions {
				refs = append(refs, s.ValueFrom)
			}
		}
		if c.RepositoryCredentials != nil && c.RepositoryCredentials.CredentialsParameter != "" {
			refs = append(refs, c.RepositoryCredentials.CredentialsParameter)
		}
		for _, ref := range refs {
			action, resource, denied := secretCall(region, account, ref)
			if role == "" {
				return noRoleForSecret(action), nil
			}
			d, err := allowed(action, resource)
			if err != nil {
				return "", err
			}
			if d != policy.Allowed {
				return denied(r.accessDenied(role, action, resource, d)), nil
			}
		}
	}
	return r.registryDenial(region, account, role, allowed)
}

// registryDenial checks the pulls from Quayside's own registry (ECR).
// Images pulled already (an adopted task) are not checked again.
func (r *runner) registryDenial(region, account, role string, allowed func(action, resource string) (policy.Decision, error)) (string, error) {
	if r.a.cfg.Registry == nil || !r.task.PullStoppedAt.IsZero() {
		return "", nil
	}
	host := r.a.cfg.Registry()
	tokenChecked := false
	for _, c := range r.def.ContainerDefinitions {
		repo, ref, ok := ownImage(host, c.Image)
		if !ok {
			continue
		}
		if role == "" {
			// message not confirmed: an ECR pull without credentials
			return manifestPullError(c.Image, host, ref, "401 Unauthorized"), nil
		}
		if !tokenChecked {
			d, err := allowed(actionECRToken, "*")
			if err != nil {
				return "", err
			}
			if d != policy.Allowed {
				return resourceInitPrefix + "unable to retrieve ecr registry auth: service call has been retried 1 time(s): " +
					r.accessDenied(role, actionECRToken, "*", d), nil
			}
			tokenChecked = true
		}
		arn := "arn:aws:ecr:" + region + ":" + account + ":repository/" + repo
		d, err := allowed(actionBatchGetImage, arn)
		if err != nil {
			return "", err
		}
		if d != policy.Allowed {
			return manifestPullError(c.Image, host, ref, "403 Forbidden"), nil
		}
		if d, err = allowed(actionGetLayer, arn); err != nil {
			return "", err
		}
		if d != policy.Allowed {
			// message not confirmed: the layer download is refused
			return "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: " +
				"unexpected status code http://" + host + "/v2/" + repo + "/blobs: 403 Forbidden", nil
		}
	}
	return "", nil
}

// secretCall is the call ECS makes for a secret reference: the action,
// the ARN it acts on, and how ECS reports an AccessDeniedException from
// it, as it reports a missing secret (package tasksecrets).
func secretCall(region, account, valueFrom string) (action, resource string, denied func(string) string) {
	if parts := strings.SplitN(valueFrom, ":", 8); len(parts) >= 7 && parts[0] == "arn" && parts[2] == "secretsmanager" {
		arn := strings.Join(parts[:7], ":") // without :json-key:version-stage:version-id
		return actionGetSecret, arn, func(msg string) string {
			return resourceInitPrefix + "unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret " +
				arn + " from secrets manager: " + msg
		}
	}
	arn := valueFrom
	if !strings.HasPrefix(valueFrom, "arn:") {
		arn = "arn:aws:ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(valueFrom, "/")
	}
	return actionGetParameters, arn, func(msg string) string {
		return resourceInitPrefix + "unable to retrieve secrets from ssm: service call has been retried 1 time(s): " + msg
	}
}

// noRoleForSecret is the reason of a task that has secrets but no
// execution role to read them with. Message not confirmed: the ECS
// agent's words for a secret resource without execution role credentials.
func noRoleForSecret(action string) string {
	what := "SSM"
	if action == actionGetSecret {
		what = "ASM"
	}
	return resourceInitPrefix + what + " secret resource: unable to find execution role credentials"
}

// manifestPullError is ECS's CannotPullContainerError for a registry that
// refuses the image manifest with status.
func manifestPullError(image, host, ref, status string) string {
	return "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref " + image +
		": pulling from host " + host + " failed with status code [manifests " + ref + "]: " + status
}

// ownImage splits an image of Quayside's registry (host) into its
// repository and its tag or digest.
func ownImage(host, image string) (repo, ref string, ok bool) {
	rest, ok := strings.CutPrefix(image, host+"/")
	if !ok || host == "" || rest == "" {
		return "", "", false
	}
	if name, digest, found := strings.Cut(rest, "@"); found {
		return name, digest, true
	}
	if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
		return rest[:i], rest[i+1:], true
	}
	return rest, "latest", true
}

// executionRoleARN is the role ECS makes the start-up calls with: the
// override's, else the task definition's; a bare name is a role of the
// task's account.
func (r *runner) executionRoleARN(account string) string {
	role := r.task.Overrides.ExecutionRoleARN
	if role == "" {
		role = r.def.ExecutionRoleARN
	}
	if role != "" && !strings.HasPrefix(role, "arn:") {
		role = "arn:aws:iam::" + account + ":role/" + role
	}
	return role
}

// accessDenied is IAM's AccessDeniedException as the SDK prints it, for
// the session of the task's execution role: the session is named after
// the task, and the request ID is derived from the call, so a reason is
// the same each time the task is tried.
func (r *runner) accessDenied(roleARN, action, resource string, d policy.Decision) string {
	account, name := "", roleARN
	if parts := strings.SplitN(roleARN, ":", 6); len(parts) == 6 {
		account, name = parts[4], parts[5][strings.LastIndex(parts[5], "/")+1:]
	}
	why := "because no identity-based policy allows the " + action + " action"
	if d == policy.Denied {
		why = "with an explicit deny in an identity-based policy"
	}
	sum := sha256.Sum256([]byte(r.task.ARN + "\x00" + action + "\x00" + resource))
	h := hex.EncodeToString(sum[:16])
	requestID := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	session := r.task.ARN[strings.LastIndex(r.task.ARN, "/")+1:] // the task ID
	return "AccessDeniedException: User: arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session +
		" is not authorized to perform: " + action + " on resource: " + resource + " " + why +
		" status code: 400, request id: " + requestID
}
