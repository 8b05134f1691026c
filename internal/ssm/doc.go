// Package ssm is SSM Parameter Store: parameters with versions, labels,
// tiers and tags, kept in the store, with SecureString values sealed by
// package secretbox. Package ssmapi serves it over AWS JSON; this package
// holds the rules and the storage, and the Resolver that task start-up
// uses to fetch values.
//
// Tables (every key begins <region>/<account>/; names never contain ':'):
//
//	table            key                                       value
//	ssm.parameters   <region>/<account>/<name>                 Parameter: latest version, labels, tags
//	ssm.versions     <region>/<account>/<name>:<version:010d>  Version: one version, the latest included
//
// A Version of type SecureString holds its value only sealed
// (Version.Sealed), bound to its scope, name and version number; String
// and StringList values are plain, as in AWS. Parameter Store keeps the
// 100 latest versions of a parameter: writing the 101st drops the oldest,
// unless it carries a label (ParameterMaxVersionLimitExceeded). Deleting
// a parameter deletes every version; a parameter created again under the
// same name starts at version 1.
//
// # Resolving values at task start
//
// The task-start code (secrets injection) uses a Resolver:
//
//	r := ssm.NewResolver(store, box)
//	vals, err := r.GetAll(ctx, region, account, []string{"/app/db-url", "arn:aws:ssm:us-east-1:000000000000:parameter/app/key"})
//	v, err := r.Get(ctx, region, account, "/app/db-url:3") // a version or label selector works too
//
// References are names or ARNs (an ARN's region and account win over the
// arguments). Values come back decrypted. When any reference does not
// resolve, the error is a *ResolveError whose text is what ECS puts after
// "unable to retrieve secrets from ssm: " in the task's stoppedReason;
// ECSStoppedReason(err) builds the whole reason:
//
//	ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:
//	unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /app/db-url
//
// Package tasksecrets (under internal/secretsmanager) combines this
// Resolver with Secrets Manager's behind the agent's Secrets interface.
//
// No error of this package contains a parameter's value.
package ssm
