package ec2api_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/quayside/quayside/internal/ecs"
	"github.com/quayside/quayside/internal/ecs/ecsdb"
	"github.com/quayside/quayside/internal/store"
)

// awsvpcTask is a task record as ECS writes it, with an ENI attachment.
func awsvpcTask(id, group, subnet, eni, ip string, status ecs.TaskStatus, attachment string) ecs.Task {
	e := ecs.ElasticNetworkInterface{SubnetID: subnet, NetworkInterfaceID: eni, MACAddress: "02:42:0a:d5:00:05", PrivateIPv4Address: ip}
	return ecs.Task{
		ARN: ecs.TaskARN("us-east-1", "000000000000", "default", id), ID: id, Group: group,
		ClusterARN: ecs.ClusterARN("us-east-1", "000000000000", "default"), LastStatus: status, DesiredStatus: ecs.TaskRunning,
		AvailabilityZone: "us-east-1a", CreatedAt: time.Now(), Attachments: []ecs.Attachment{e.Attachment("att-"+id, attachment)},
	}
}

func TestDescribeNetworkInterfaces(t *testing.T) {
	c, srv := newClient(t)
	_, subnets, def := defaults(t, c)
	subnetA := aws.ToString(subnets[0].SubnetId)
	subnetB := aws.ToString(subnets[1].SubnetId)
	web, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	sg := aws.ToString(web.GroupId)

	scope := ecsdb.Scope{Region: "us-east-1", Account: "000000000000"}
	err = srv.Store().Update(ctx, func(tx store.Tx) error {
		svc := ecs.Service{Name: "web", NetworkConfiguration: &ecs.NetworkConfiguration{Subnets: []string{subnetA}, SecurityGroups: []string{sg}, AssignPublicIP: ecs.Enabled}}
		if err := ecsdb.PutService(tx, scope, "default", svc); err != nil {
			return err
		}
		tasks := []ecs.Task{
			awsvpcTask("t1", "service:web", subnetA, "eni-00000000000000001", "10.213.0.5", ecs.TaskRunning, ecs.AttachmentAttached),
			awsvpcTask("t2", "family:job", subnetB, "eni-00000000000000002", "", ecs.TaskProvisioning, ecs.AttachmentPrecreated),
			awsvpcTask("t3", "family:job", subnetA, "eni-00000000000000003", "10.213.0.9", ecs.TaskStopped, ecs.AttachmentDeleted),
			{ARN: "arn:aws:ecs:us-east-1:000000000000:task/default/t4", ID: "t4", LastStatus: ecs.TaskRunning}, // bridge mode
		}
		for _, tk := range tasks {
			if err := ecsdb.PutTask(tx, scope, "default", tk); err != nil {
				return err
			}
		}
		// A standalone task records its own network configuration.
		t5 := awsvpcTask("t5", "family:job", subnetB, "eni-00000000000000005", "10.213.0.7", ecs.TaskRunning, ecs.AttachmentAttached)
		t5.NetworkConfiguration = &ecs.NetworkConfiguration{Subnets: []string{subnetB}, AssignPublicIP: ecs.Enabled}
		return ecsdb.PutTask(tx, scope, "default", t5)
	})
	if err != nil {
		t.Fatal(err)
	}

	all, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.NetworkInterfaces) != 3 {
		t.Fatalf("%d interfaces, want 3 (running, provisioning, standalone)", len(all.NetworkInterfaces))
	}

	// The lab's query: the ENI of a running service task with a public IP.
	out, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-00000000000000001"}})
	if err != nil || len(out.NetworkInterfaces) != 1 {
		t.Fatalf("%v %+v", err, out)
	}
	n := out.NetworkInterfaces[0]
	if n.Association == nil || aws.ToString(n.Association.PublicIp) != "10.213.0.5" {
		t.Fatalf("Association = %+v", n.Association)
	}
	if aws.ToString(n.PrivateIpAddress) != "10.213.0.5" || aws.ToString(n.SubnetId) != subnetA || n.Status != types.NetworkInterfaceStatusInUse ||
		aws.ToString(n.MacAddress) != "02:42:0a:d5:00:05" || aws.ToString(n.AvailabilityZone) != "us-east-1a" ||
		len(n.Groups) != 1 || aws.ToString(n.Groups[0].GroupId) != sg || aws.ToString(n.Groups[0].GroupName) != "web" ||
		aws.ToString(n.Description) != "arn:aws:ecs:us-east-1:000000000000:attachment/att-t1" || n.InterfaceType != types.NetworkInterfaceTypeInterface {
		t.Errorf("interface = %+v", n)
	}
	if len(n.PrivateIpAddresses) != 1 || aws.ToString(n.PrivateIpAddresses[0].Association.PublicIp) != "10.213.0.5" {
		t.Errorf("PrivateIpAddresses = %+v", n.PrivateIpAddresses)
	}

	// A task without an address yet, and without a public IP: the
	// default group, no association.
	out, _ = c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter("network-interface-id", "eni-00000000000000002")}})
	if len(out.NetworkInterfaces) != 1 {
		t.Fatalf("%+v", out)
	}
	n = out.NetworkInterfaces[0]
	if n.Association != nil || n.PrivateIpAddress != nil || aws.ToString(n.Groups[0].GroupId) != def || aws.ToString(n.AvailabilityZone) != "us-east-1b" {
		t.Errorf("pending interface = %+v", n)
	}
	out, _ = c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-00000000000000005"}})
	if out.NetworkInterfaces[0].Association == nil || aws.ToString(out.NetworkInterfaces[0].Association.PublicIp) != "10.213.0.7" {
		t.Errorf("a task's own network configuration is not read: %+v", out.NetworkInterfaces[0])
	}

	for _, f := range []types.Filter{
		filter("subnet-id", subnetA), filter("private-ip-address", "10.213.0.5"), filter("addresses.private-ip-address", "10.213.0.5"),
		filter("group-id", sg), filter("association.public-ip", "10.213.0.5"),
	} {
		out, err := c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{f}})
		if err != nil || len(out.NetworkInterfaces) != 1 || aws.ToString(out.NetworkInterfaces[0].NetworkInterfaceId) != "eni-00000000000000001" {
			t.Errorf("filter %s: %v %+v", aws.ToString(f.Name), err, out)
		}
	}
	_, err = c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-00000000000000003"}})
	wantErr(t, err, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID 'eni-00000000000000003' does not exist")

	// Interfaces hold their subnet and groups.
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(subnetA)})
	wantErr(t, err, "DependencyViolation", "The subnet '"+subnetA+"' has dependencies and cannot be deleted.")
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)})
	wantErr(t, err, "DependencyViolation", "resource "+sg+" has a dependent object")
	sn, _ := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subnetA}})
	if aws.ToInt32(sn.Subnets[0].AvailableIpAddressCount) != 4090 {
		t.Errorf("AvailableIpAddressCount = %d", aws.ToInt32(sn.Subnets[0].AvailableIpAddressCount))
	}
}
