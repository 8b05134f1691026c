package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The standard lab finds a task's public IP through its network interface
// and reaches the task on it.
func TestTaskPublicIPThroughItsNetworkInterface(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	out, err := e.ecs.RunTask(ctx, &ecs.RunTaskInput{
		Cluster: aws.String(e.cluster), TaskDefinition: aws.String(e.register(webTask("lab", e.testapp))), LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-local"}, AssignPublicIp: types.AssignPublicIpEnabled}},
	})
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("run task: %v %+v", err, out)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	task := e.waitStatus(arn, "RUNNING", 30*time.Second)
	eni := ""
	for _, d := range task.Attachments[0].Details {
		if aws.ToString(d.Name) == "networkInterfaceId" {
			eni = aws.ToString(d.Value)
		}
	}
	nis, err := ec2.NewFromConfig(e.srv.AWSConfig("us-east-1")).DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{eni}})
	if err != nil || len(nis.NetworkInterfaces) != 1 || nis.NetworkInterfaces[0].Association == nil {
		t.Fatalf("describe network interface %s: %v %+v", eni, err, nis)
	}
	public := aws.ToString(nis.NetworkInterfaces[0].Association.PublicIp)
	if public == "" {
		t.Fatal("no public IP")
	}
	if status, _ := get(t, "http://"+public+":8080/"); status != 200 {
		t.Fatalf("the task does not answer on its public IP %s: %d", public, status)
	}
	e.stop(arn)
	e.waitStatus(arn, "STOPPED", 60*time.Second)
}
