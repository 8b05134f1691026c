// Package ec2 is the slice of EC2 networking that ECS tasks live in:
// VPCs, subnets, security groups with their rules, availability zones,
// tags, and the network interfaces of awsvpc tasks. Package ec2api
// serves it over the EC2 Query protocol.
//
// # Default VPC
//
// Every region of every account has a default VPC (172.31.0.0/16) with
// one default subnet per availability zone (a, b, c: 172.31.0.0/20,
// 172.31.16.0/20, 172.31.32.0/20) and a default security group named
// "default". Their IDs are derived from the region and account, so they
// are the same on every start and for every data dir. They exist
// virtually until the first write to the scope (creating a VPC, a group,
// tags, rules, ...), which materializes them into the store; from then on
// the store alone is the truth, so a default VPC can be deleted.
//
// Tables (every key begins <region>/<account>/):
//
//	table        key                                value
//	ec2.vpcs     <region>/<account>/<vpc id>        Vpc
//	ec2.subnets  <region>/<account>/<subnet id>     Subnet
//	ec2.groups   <region>/<account>/<sg id>         SecurityGroup (its rules inside)
//	ec2.meta     <region>/<account>/defaults        marker: the defaults are materialized
//
// # Network interfaces
//
// DescribeNetworkInterfaces shows one interface per awsvpc ECS task that
// has not stopped, read from the ECS tasks table: the ENI ID, subnet and
// MAC address of the task's ElasticNetworkInterface attachment, and the
// task's IP as its private address. With assignPublicIp ENABLED the
// interface has an Association whose PublicIp is an address the host
// reaches the task on: locally that is the task's own address on the
// Quayside bridge network, the same as its private IP.
//
// # Validation for ECS
//
// Validate checks the subnets and security groups of an
// awsvpcConfiguration and returns each subnet's availability zone; its
// errors carry ECS's InvalidParameterException messages.
//
// Security groups are recorded, not enforced: filtering traffic between
// tasks in each task's network namespace is planned.
package ec2
