package ecsapi_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/servertest"
	"github.com/quayside/quayside/internal/store"
)

const testAccount = "000000000000"

// startECS runs a server and returns an SDK client for us-east-1.
func startECS(t *testing.T) (*awsecs.Client, *servertest.Server) {
	t.Helper()
	srv := servertest.Start(t)
	return awsecs.NewFromConfig(srv.AWSConfig("us-east-1")), srv
}

// servertestStart runs a server on dir ("" for a new data dir).
func servertestStart(t *testing.T, dir string) *servertest.Server {
	t.Helper()
	if dir == "" {
		return servertest.Start(t)
	}
	return servertest.Start(t, servertest.Options{DataDir: dir})
}

// wantAPIError checks that err is the AWS error code with the message.
func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatalf("error = %v, want %s %q", err, code, message)
	}
	if api.ErrorCode() != code || api.ErrorMessage() != message {
		t.Fatalf("error = %s %q, want %s %q", api.ErrorCode(), api.ErrorMessage(), code, message)
	}
}

func clusterARN(name string) string {
	return "arn:aws:ecs:us-east-1:" + testAccount + ":cluster/" + name
}

func mustCreateCluster(t *testing.T, c *awsecs.Client, name string, tags ...types.Tag) *types.Cluster {
	t.Helper()
	out, err := c.CreateCluster(context.Background(), &awsecs.CreateClusterInput{ClusterName: aws.String(name), Tags: tags})
	if err != nil {
		t.Fatalf("CreateCluster %s: %v", name, err)
	}
	return out.Cluster
}

// putRecord writes a record straight into the server's store.
func putRecord(t *testing.T, srv *servertest.Server, fn func(store.Tx, ecsdb.Scope) error) {
	t.Helper()
	sc := ecsdb.Scope{Region: "us-east-1", Account: testAccount}
	if err := srv.Store().Update(context.Background(), func(tx store.Tx) error { return fn(tx, sc) }); err != nil {
		t.Fatal(err)
	}
}

func TestCreateCluster(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	got := mustCreateCluster(t, c, "web", types.Tag{Key: aws.String("team"), Value: aws.String("dev")})
	if aws.ToString(got.ClusterArn) != clusterARN("web") || aws.ToString(got.ClusterName) != "web" || aws.ToString(got.Status) != "ACTIVE" {
		t.Fatalf("cluster = %s %s %s", aws.ToString(got.ClusterArn), aws.ToString(got.ClusterName), aws.ToString(got.Status))
	}
	if len(got.Settings) != 1 || got.Settings[0].Name != types.ClusterSettingNameContainerInsights || aws.ToString(got.Settings[0].Value) != "disabled" {
		t.Fatalf("settings = %+v", got.Settings)
	}
	if len(got.Tags) != 1 || aws.ToString(got.Tags[0].Key) != "team" {
		t.Fatalf("tags = %+v", got.Tags)
	}

	// A repeat answers with the existing cluster, unchanged.
	again, err := c.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(again.Cluster.ClusterArn) != clusterARN("web") || len(again.Cluster.Tags) != 1 {
		t.Fatalf("repeat = %+v", again.Cluster)
	}

	// No name means "default".
	def, err := c.CreateCluster(ctx, &awsecs.CreateClusterInput{})
	if err != nil || aws.ToString(def.Cluster.ClusterName) != "default" {
		t.Fatalf("default cluster: %v %+v", err, def)
	}

	_, err = c.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("bad name!")})
	wantAPIError(t, err, "InvalidParameterException", "Cluster name must be between 1 and 255 characters and contain only letters (uppercase and lowercase), numbers, underscores and hyphens.")
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("error type %T", err)
	}

	_, err = c.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("x"), Tags: []types.Tag{{Key: aws.String("aws:reserved"), Value: aws.String("v")}}})
	wantAPIError(t, err, "InvalidParameterException", "Tag keys beginning with 'aws:' are reserved for AWS use.")
}

func TestCreateClusterTakesContainerInsightsFromAccountSetting(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	if _, err := c.PutAccountSettingDefault(ctx, &awsecs.PutAccountSettingDefaultInput{Name: types.SettingNameContainerInsights, Value: aws.String("enhanced")}); err != nil {
		t.Fatal(err)
	}
	got := mustCreateCluster(t, c, "insightful")
	if aws.ToString(got.Settings[0].Value) != "enhanced" {
		t.Fatalf("settings = %+v", got.Settings)
	}
}

func TestDescribeClusters(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "one", types.Tag{Key: aws.String("k"), Value: aws.String("v")})
	mustCreateCluster(t, c, "default")

	out, err := c.DescribeClusters(ctx, &awsecs.DescribeClustersInput{Clusters: []string{"one", clusterARN("default"), "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Clusters) != 2 || aws.ToString(out.Clusters[0].ClusterName) != "one" || aws.ToString(out.Clusters[1].ClusterName) != "default" {
		t.Fatalf("clusters = %+v", out.Clusters)
	}
	if len(out.Clusters[0].Tags) != 0 || len(out.Clusters[0].Settings) != 0 {
		t.Fatalf("tags and settings shown without include: %+v", out.Clusters[0])
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != clusterARN("nope") || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Fatalf("failures = %+v", out.Failures)
	}

	out, err = c.DescribeClusters(ctx, &awsecs.DescribeClustersInput{Clusters: []string{"one"},
		Include: []types.ClusterField{types.ClusterFieldTags, types.ClusterFieldSettings, types.ClusterFieldStatistics}})
	if err != nil {
		t.Fatal(err)
	}
	cl := out.Clusters[0]
	if len(cl.Tags) != 1 || len(cl.Settings) != 1 || len(cl.Statistics) == 0 {
		t.Fatalf("include: tags %v settings %v statistics %v", cl.Tags, cl.Settings, cl.Statistics)
	}

	// No clusters named means the default cluster.
	out, err = c.DescribeClusters(ctx, &awsecs.DescribeClustersInput{})
	if err != nil || len(out.Clusters) != 1 || aws.ToString(out.Clusters[0].ClusterName) != "default" {
		t.Fatalf("default: %v %+v", err, out)
	}
}

func TestListClustersPagination(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	var want []string
	for i := range 5 {
		name := fmt.Sprintf("c%d", i)
		mustCreateCluster(t, c, name)
		want = append(want, clusterARN(name))
	}
	mustCreateCluster(t, c, "c9")
	if _, err := c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("c9")}); err != nil {
		t.Fatal(err)
	}
	var got []string
	pages := 0
	p := awsecs.NewListClustersPaginator(c, &awsecs.ListClustersInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.ClusterArns...)
	}
	if !slices.Equal(got, want) || pages != 3 {
		t.Fatalf("got %v in %d pages, want %v in 3", got, pages, want)
	}
	_, err := c.ListClusters(ctx, &awsecs.ListClustersInput{MaxResults: aws.Int32(101)})
	wantAPIError(t, err, "InvalidParameterException", "maxResults must be between 1 and 100.")
	_, err = c.ListClusters(ctx, &awsecs.ListClustersInput{NextToken: aws.String("!!not-a-token")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid nextToken: pass the nextToken value from the previous response unchanged.")
}

func TestUpdateCluster(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "u")
	out, err := c.UpdateCluster(ctx, &awsecs.UpdateClusterInput{
		Cluster:  aws.String(clusterARN("u")),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}},
		Configuration: &types.ClusterConfiguration{ExecuteCommandConfiguration: &types.ExecuteCommandConfiguration{
			Logging: types.ExecuteCommandLoggingOverride,
			LogConfiguration: &types.ExecuteCommandLogConfiguration{
				CloudWatchLogGroupName: aws.String("/exec"), CloudWatchEncryptionEnabled: true,
			},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	cl := out.Cluster
	if aws.ToString(cl.Settings[0].Value) != "enabled" || cl.Configuration == nil ||
		cl.Configuration.ExecuteCommandConfiguration.Logging != types.ExecuteCommandLoggingOverride ||
		aws.ToString(cl.Configuration.ExecuteCommandConfiguration.LogConfiguration.CloudWatchLogGroupName) != "/exec" {
		t.Fatalf("updated = %+v", cl)
	}
	_, err = c.UpdateCluster(ctx, &awsecs.UpdateClusterInput{Cluster: aws.String("ghost")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	var cnf *types.ClusterNotFoundException
	if !errors.As(err, &cnf) {
		t.Fatalf("error type %T", err)
	}
}

func TestUpdateClusterSettings(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "s")
	out, err := c.UpdateClusterSettings(ctx, &awsecs.UpdateClusterSettingsInput{Cluster: aws.String("s"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enhanced")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Cluster.Settings) != 1 || aws.ToString(out.Cluster.Settings[0].Value) != "enhanced" {
		t.Fatalf("settings = %+v", out.Cluster.Settings)
	}
	_, err = c.UpdateClusterSettings(ctx, &awsecs.UpdateClusterSettingsInput{Cluster: aws.String("s"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("sometimes")}}})
	wantAPIError(t, err, "InvalidParameterException", `Invalid value "sometimes" for containerInsights: use enabled, enhanced or disabled.`)
	_, err = c.UpdateClusterSettings(ctx, &awsecs.UpdateClusterSettingsInput{Cluster: aws.String("ghost"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}}})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
}

func TestPutClusterCapacityProviders(t *testing.T) {
	c, _ := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "cp")
	out, err := c.PutClusterCapacityProviders(ctx, &awsecs.PutClusterCapacityProvidersInput{
		Cluster:           aws.String("cp"),
		CapacityProviders: []string{"FARGATE", "FARGATE_SPOT"},
		DefaultCapacityProviderStrategy: []types.CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE"), Weight: 1, Base: 1},
			{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 3},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	cl := out.Cluster
	if !slices.Equal(cl.CapacityProviders, []string{"FARGATE", "FARGATE_SPOT"}) || len(cl.DefaultCapacityProviderStrategy) != 2 ||
		cl.DefaultCapacityProviderStrategy[1].Weight != 3 || cl.DefaultCapacityProviderStrategy[0].Base != 1 {
		t.Fatalf("cluster = %+v", cl)
	}

	for _, tc := range []struct {
		name      string
		providers []string
		strategy  []types.CapacityProviderStrategyItem
		cluster   string
		code, msg string
	}{
		{"strategy names a provider not in the list", []string{"FARGATE"},
			[]types.CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE_SPOT"), Weight: 1}}, "cp",
			"InvalidParameterException", "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again. Capacity provider: FARGATE_SPOT"},
		{"unknown provider", []string{"MY_ASG"}, []types.CapacityProviderStrategyItem{}, "cp",
			"InvalidParameterException", "The specified capacity provider 'MY_ASG' is not in an ACTIVE state. Specify a valid capacity provider and try again."},
		{"two bases", []string{"FARGATE", "FARGATE_SPOT"}, []types.CapacityProviderStrategyItem{
			{CapacityProvider: aws.String("FARGATE"), Base: 1}, {CapacityProvider: aws.String("FARGATE_SPOT"), Base: 2}}, "cp",
			"InvalidParameterException", "You can specify a base value for only one capacity provider in a capacity provider strategy."},
		{"missing cluster", []string{"FARGATE"}, []types.CapacityProviderStrategyItem{}, "ghost", "ClusterNotFoundException", "Cluster not found."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.PutClusterCapacityProviders(ctx, &awsecs.PutClusterCapacityProvidersInput{
				Cluster: aws.String(tc.cluster), CapacityProviders: tc.providers, DefaultCapacityProviderStrategy: tc.strategy})
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
}

func TestDeleteCluster(t *testing.T) {
	c, srv := startECS(t)
	ctx := context.Background()
	mustCreateCluster(t, c, "gone")
	out, err := c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("gone")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Cluster.Status) != "INACTIVE" {
		t.Fatalf("status = %s", aws.ToString(out.Cluster.Status))
	}
	// A deleted cluster is still described, INACTIVE, but not listed.
	d, err := c.DescribeClusters(ctx, &awsecs.DescribeClustersInput{Clusters: []string{"gone"}})
	if err != nil || len(d.Clusters) != 1 || aws.ToString(d.Clusters[0].Status) != "INACTIVE" {
		t.Fatalf("describe deleted: %v %+v", err, d)
	}
	l, err := c.ListClusters(ctx, &awsecs.ListClustersInput{})
	if err != nil || len(l.ClusterArns) != 0 {
		t.Fatalf("list: %v %v", err, l.ClusterArns)
	}
	_, err = c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("gone")})
	wantAPIError(t, err, "ClusterNotFoundException", "Cluster not found.")
	// The name can be used again.
	if cl := mustCreateCluster(t, c, "gone"); aws.ToString(cl.Status) != "ACTIVE" {
		t.Fatalf("recreated status = %s", aws.ToString(cl.Status))
	}

	mustCreateCluster(t, c, "busy")
	putRecord(t, srv, func(tx store.Tx, sc ecsdb.Scope) error {
		return ecsdb.PutService(tx, sc, "busy", ecs.Service{Name: "api", ARN: "arn:aws:ecs:us-east-1:" + testAccount + ":service/busy/api",
			ClusterARN: clusterARN("busy"), Status: ecs.ServiceActive})
	})
	_, err = c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("busy")})
	wantAPIError(t, err, "ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.")
	var ccs *types.ClusterContainsServicesException
	if !errors.As(err, &ccs) {
		t.Fatalf("error type %T", err)
	}

	mustCreateCluster(t, c, "running")
	putRecord(t, srv, func(tx store.Tx, sc ecsdb.Scope) error {
		id := "0123456789abcdef0123456789abcdef"
		return ecsdb.PutTask(tx, sc, "running", ecs.Task{ID: id, ARN: "arn:aws:ecs:us-east-1:" + testAccount + ":task/running/" + id,
			ClusterARN: clusterARN("running"), LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning})
	})
	_, err = c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("running")})
	wantAPIError(t, err, "ClusterContainsTasksException", ecs.MsgClusterContainsTasks)

	// A stopped task does not hold the cluster.
	mustCreateCluster(t, c, "stopped")
	putRecord(t, srv, func(tx store.Tx, sc ecsdb.Scope) error {
		id := "fedcba9876543210fedcba9876543210"
		return ecsdb.PutTask(tx, sc, "stopped", ecs.Task{ID: id, ClusterARN: clusterARN("stopped"), LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped})
	})
	if _, err := c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("stopped")}); err != nil {
		t.Fatalf("delete with only stopped tasks: %v", err)
	}

	mustCreateCluster(t, c, "hosts")
	putRecord(t, srv, func(tx store.Tx, sc ecsdb.Scope) error {
		return ecsdb.PutInstance(tx, sc, "hosts", "i1", ecs.ContainerInstance{ID: "i1", ClusterARN: clusterARN("hosts"), Status: ecs.InstanceActive})
	})
	_, err = c.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("hosts")})
	wantAPIError(t, err, "ClusterContainsContainerInstancesException", ecs.MsgClusterContainsInstances)
}
