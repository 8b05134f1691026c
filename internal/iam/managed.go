package iam

import (
	"embed"
	"sort"
	"time"

	"github.com/quayside/quayside/internal/policy"
)

// The documents of the built-in AWS managed policies are AWS's published
// ones (their default versions), one file per policy.
//
//go:embed managed/*.json
var managedFS embed.FS

// AWSAccount is the account segment of AWS managed policy ARNs.
const AWSAccount = "aws"

type builtin struct {
	name, path, description string
	created                 string // when AWS created the policy
	version, versionDate    string // the default version and when it was made
}

// builtins lists the AWS managed policies Quayside knows, with the dates
// and versions AWS publishes for them.
var builtins = []builtin{
	{"AmazonECSTaskExecutionRolePolicy", "/service-role/", "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
		"2017-11-16T18:48:22Z", "v1", "2017-11-16T18:48:22Z"},
	{"AmazonEC2ContainerRegistryReadOnly", "/", "Provides read-only access to Amazon EC2 Container Registry repositories.",
		"2015-12-21T17:04:00Z", "v3", "2019-12-10T20:56:32Z"},
	{"AmazonSSMReadOnlyAccess", "/", "Provides read only access to Amazon SSM.",
		"2015-05-29T17:44:19Z", "v1", "2015-05-29T17:44:19Z"},
	{"SecretsManagerReadWrite", "/", "Provides read/write access to AWS Secrets Manager via the AWS Management Console. Note: this exludes IAM actions, so combine with IAMFullAccess if rotation configuration is required.",
		"2018-04-04T18:05:00Z", "v6", "2026-08-25T23:37:10Z"},
	{"CloudWatchLogsFullAccess", "/", "Provides full access to CloudWatch Logs",
		"2015-02-06T18:40:00Z", "v3", "2025-05-20T17:07:06Z"},
}

// awsManaged holds the built-in policies by ARN.
var awsManaged = func() map[string]ManagedPolicy {
	out := map[string]ManagedPolicy{}
	for _, b := range builtins {
		doc, err := managedFS.ReadFile("managed/" + b.name + ".json")
		if err != nil {
			panic("iam: built-in policy " + b.name + ": " + err.Error())
		}
		policy.MustParse(string(doc), policy.Identity)
		arn := policyARN(AWSAccount, b.path, b.name)
		created, vdate := mustTime(b.created), mustTime(b.versionDate)
		out[arn] = ManagedPolicy{
			Name: b.name, ID: fixedID(prefixPolicy, arn), ARN: arn, Path: b.path, Description: b.description,
			CreateDate: created, UpdateDate: vdate, DefaultVersion: b.version,
			Versions:   []PolicyVersion{{ID: b.version, Document: string(doc), CreateDate: vdate}},
			AWSManaged: true,
		}
	}
	return out
}()

// awsManagedSorted lists the built-in policies in name order.
func awsManagedSorted() []ManagedPolicy {
	out := make([]ManagedPolicy, 0, len(awsManaged))
	for _, p := range awsManaged {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
