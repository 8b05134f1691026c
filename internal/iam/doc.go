// Package iam is IAM for one Quayside: roles with their trust policies,
// customer managed policies with versions, the AWS managed policies ECS
// users attach (built in, with AWS's documents), inline role policies,
// and the temporary sessions STS hands out. Package iamapi serves it over
// the AWS Query protocol; package sts uses it for AssumeRole. Policy
// documents are parsed and evaluated by package policy.
//
// IAM is global: every key begins "global/<account>/" instead of a
// region. Role and managed policy names are unique ignoring case, as in
// IAM, so their keys hold the lower-cased name.
//
//	table             key                                         value
//	iam.roles         global/<account>/<lower(role)>              Role
//	iam.rolepolicies  global/<account>/<lower(role)>/<policy>     InlinePolicy
//	iam.policies      global/<account>/<lower(policy)>            ManagedPolicy (with its versions)
//	iam.sessions      global/<account>/<access key id>            Session
//
// AWS managed policies (arn:aws:iam::aws:policy/...) live in memory, see
// managed.go; attaching one records its ARN on the role like any other.
// A policy's AttachmentCount is computed from the account's roles.
//
// # Authorization
//
// Enforcement is off by default. The task runtime, once it enforces,
// asks whether a role may act:
//
//	d, err := svc.RoleAllowed(ctx, "arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
//	        "ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/app/db", nil)
//	if d != policy.Allowed { ... ResourceInitializationError ... }
//
// RoleAllowed evaluates the role's inline policies and the default
// versions of its attached managed policies together.
package iam
