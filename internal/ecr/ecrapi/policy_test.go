package ecrapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
)

const pullPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`

func TestRepositoryPolicy(t *testing.T) {
	e := newEnv(t)
	e.createRepo("web")
	const notFound = "Repository policy does not exist for the repository with name 'web' in the registry with id '000000000000'"
	_, err := e.c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "RepositoryPolicyNotFoundException", notFound)
	_, err = e.c.DeleteRepositoryPolicy(ctx, &ecr.DeleteRepositoryPolicyInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "RepositoryPolicyNotFoundException", notFound)

	set, err := e.c.SetRepositoryPolicy(ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("web"), PolicyText: aws.String(pullPolicy)})
	if err != nil || aws.ToString(set.PolicyText) != pullPolicy || aws.ToString(set.RegistryId) != account || aws.ToString(set.RepositoryName) != "web" {
		t.Fatalf("SetRepositoryPolicy: %+v, %v", set, err)
	}
	got, err := e.c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("web")})
	if err != nil || aws.ToString(got.PolicyText) != pullPolicy {
		t.Fatalf("GetRepositoryPolicy: %+v, %v", got, err)
	}
	for _, bad := range []string{
		`not json`,
		`{"Statement":[]}`,
		`{"Version":"2020-01-01","Statement":{"Effect":"Allow","Principal":"*","Action":"ecr:*"}}`,
		`{"Statement":{"Effect":"Maybe","Principal":"*","Action":"ecr:*"}}`,
		`{"Statement":{"Effect":"Allow","Action":"ecr:*"}}`,
		`{"Statement":{"Effect":"Allow","Principal":"*"}}`,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"ecr:*","Extra":1}}`,
	} {
		_, err = e.c.SetRepositoryPolicy(ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("web"), PolicyText: aws.String(bad)})
		wantErr(t, err, "InvalidParameterException", "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
	}
	del, err := e.c.DeleteRepositoryPolicy(ctx, &ecr.DeleteRepositoryPolicyInput{RepositoryName: aws.String("web")})
	if err != nil || aws.ToString(del.PolicyText) != pullPolicy {
		t.Fatalf("DeleteRepositoryPolicy: %+v, %v", del, err)
	}
	_, err = e.c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("web")})
	wantErr(t, err, "RepositoryPolicyNotFoundException", notFound)
	_, err = e.c.SetRepositoryPolicy(ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("nope"), PolicyText: aws.String(pullPolicy)})
	wantErr(t, err, "RepositoryNotFoundException", "")
}
