package ecsapi_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func providerNames(ps []types.CapacityProvider) []string {
	var out []string
	for _, p := range ps {
		out = append(out, aws.ToString(p.Name))
	}
	return out
}

func TestDescribeCapacityProviders(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	spotARN := "arn:aws:ecs:us-east-1:" + testAccount + ":capacity-provider/FARGATE_SPOT"

	all, err := c.DescribeCapacityProviders(ctx, &awsecs.DescribeCapacityProvidersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if got := providerNames(all.CapacityProviders); !slices.Equal(got, []string{"FARGATE", "FARGATE_SPOT"}) {
		t.Fatalf("all = %v", got)
	}
	p := all.CapacityProviders[1]
	if aws.ToString(p.CapacityProviderArn) != spotARN || p.Status != types.CapacityProviderStatusActive || p.Tags != nil {
		t.Fatalf("FARGATE_SPOT = %+v", p)
	}

	out, err := c.DescribeCapacityProviders(ctx, &awsecs.DescribeCapacityProvidersInput{
		CapacityProviders: []string{spotARN, "MY_ASG", "FARGATE"}, Include: []types.CapacityProviderField{types.CapacityProviderFieldTags}})
	if err != nil {
		t.Fatal(err)
	}
	if got := providerNames(out.CapacityProviders); !slices.Equal(got, []string{"FARGATE_SPOT", "FARGATE"}) {
		t.Fatalf("named = %v", got)
	}
	if out.CapacityProviders[0].Tags == nil {
		t.Fatalf("include TAGS shows no tags list")
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != "arn:aws:ecs:us-east-1:"+testAccount+":capacity-provider/MY_ASG" || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("failures = %+v", out.Failures)
	}

	// One per page.
	var got []string
	in := &awsecs.DescribeCapacityProvidersInput{MaxResults: aws.Int32(1)}
	pages := 0
	for {
		page, err := c.DescribeCapacityProviders(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, providerNames(page.CapacityProviders)...)
		if page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	if !slices.Equal(got, []string{"FARGATE", "FARGATE_SPOT"}) || pages != 2 {
		t.Fatalf("pages: %v in %d", got, pages)
	}

	// With a cluster, only the providers attached to it.
	mustCreateCluster(t, c, "spot")
	if _, err := c.PutClusterCapacityProviders(ctx, &awsecs.PutClusterCapacityProvidersInput{Cluster: aws.String("spot"),
		CapacityProviders: []string{"FARGATE_SPOT"}, DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{}}); err != nil {
		t.Fatal(err)
	}
	out, err = c.DescribeCapacityProviders(ctx, &awsecs.DescribeCapacityProvidersInput{Cluster: aws.String("spot")})
	if err != nil || !slices.Equal(providerNames(out.CapacityProviders), []string{"FARGATE_SPOT"}) {
		t.Fatalf("cluster filter: %v %+v", err, out)
	}
	_, err = c.DescribeCapacityProviders(ctx, &awsecs.DescribeCapacityProvidersInput{Cluster: aws.String("ghost")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	_, err = c.DescribeCapacityProviders(ctx, &awsecs.DescribeCapacityProvidersInput{MaxResults: aws.Int32(11)})
	wantAPIError(t, err, "InvalidParameterException", "maxResults must be between 1 and 10.")
}
