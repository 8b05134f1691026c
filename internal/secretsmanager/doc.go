// Package secretsmanager is AWS Secrets Manager: secrets with versions
// and staging labels, scheduled deletion with a recovery window, tags and
// random passwords, kept in the store with every value sealed by package
// secretbox. Package secretsmanagerapi serves it over AWS JSON; this
// package holds the rules, the storage, the purge sweep and the Resolver
// that task start-up uses.
//
// Tables (every secret key begins <region>/<account>/; names never
// contain ':'):
//
//	table                      key                                            value
//	secretsmanager.secrets     <region>/<account>/<name>                      Secret: metadata, versions and their labels
//	secretsmanager.values      <region>/<account>/<name>:<version id>         the version's value, sealed (raw bytes)
//	secretsmanager.deletions   <deletion time, fixed width>/<region>/<account>/<name>   empty: the purge index
//
// A secret's ARN is arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6
// random alphanumerics>. A SecretId is a name, that ARN, or a partial ARN
// without the suffix. Each sealed value is bound to the secret's ARN, the
// version ID and whether it is a string or binary value.
//
// Versions and staging labels:
//
//	PutSecretValue / UpdateSecret with a value
//	        │ new version, labelled AWSCURRENT (or the labels given)
//	        ▼
//	  AWSCURRENT ──(next version becomes current)──▶ AWSPREVIOUS ──▶ no label ("deprecated")
//
// A label is on at most one version. Deprecated versions are kept until
// a secret has more than 100 versions. A ClientRequestToken is the new
// version's ID: repeating a request with the same token and value is a
// no-op, with another value an error.
//
// Deletion: DeleteSecret marks the secret and sets DeletionDate (7–30
// days ahead, 30 by default); from then on reads answer
// InvalidRequestException until RestoreSecret. At DeletionDate the secret
// is gone: reads answer ResourceNotFoundException at once, and the purge
// sweep (Manager.Purge, run every minute by Manager.Run, on the injected
// clock) deletes its records and values. ForceDeleteWithoutRecovery
// deletes at once.
//
// # Resolving values at task start
//
// The task-start code (secrets injection) uses a Resolver:
//
//	r := secretsmanager.NewResolver(store, box)
//	v, err := r.Resolve(ctx, region, account,
//		"arn:aws:secretsmanager:us-east-1:000000000000:secret:my-app/db-AbCdEf:password::")
//	v, err = r.Get(ctx, region, account, "my-app/db") // AWSCURRENT SecretString by name or ARN
//
// valueFrom is arn:...:secret:<name>[:<json-key>:<version-stage>:<version-id>]
// (each suffix field may be empty; stage and ID are exclusive; the stage
// defaults to AWSCURRENT). With a json-key, the SecretString must be a
// JSON object; the key's value is rendered as the ECS agent renders it
// (fmt's %v of the decoded JSON). Errors carry the text ECS puts after
// "unable to retrieve secret from asm: ", e.g.
//
//	service call has been retried 1 time(s): failed to fetch secret arn:...:secret:db-AbCdEf from secrets manager:
//	ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSPENDING
//	retrieved secret from Secrets Manager did not contain json key password
//
// and ECSStoppedReason(err) builds the whole stoppedReason. Package
// tasksecrets combines this Resolver with SSM's behind the agent's Secrets
// interface. No error of this package contains a secret's value.
package secretsmanager
