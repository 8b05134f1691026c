package wire

// Regenerate the wire packages from botocore's models (pip or Debian's
// python3-botocore): BOTOCORE_DATA=$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data go generate ./internal/wire

//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ecs/2014-11-13/service-2.json.gz -pkg ecswire -out ecswire/ecswire.go -patch ../../tools/awsgen/patches/ecs.json
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/sts/2011-06-15/service-2.json.gz -pkg stswire -out stswire/stswire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ssm/2014-11-06/service-2.json.gz -pkg ssmwire -out ssmwire/ssmwire.go -ops PutParameter,GetParameter,GetParameters,GetParametersByPath,DeleteParameter,DeleteParameters,DescribeParameters,GetParameterHistory,LabelParameterVersion,UnlabelParameterVersion,AddTagsToResource,ListTagsForResource,RemoveTagsFromResource
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/secretsmanager/2017-10-17/service-2.json.gz -pkg secretsmanagerwire -out secretsmanagerwire/secretsmanagerwire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/logs/2014-03-28/service-2.json.gz -pkg logswire -out logswire/logswire.go -ops CreateLogGroup,DeleteLogGroup,DescribeLogGroups,CreateLogStream,DeleteLogStream,DescribeLogStreams,PutLogEvents,GetLogEvents,FilterLogEvents,PutRetentionPolicy,DeleteRetentionPolicy,TagResource,UntagResource,ListTagsForResource,TagLogGroup,UntagLogGroup,ListTagsLogGroup,PutLogGroupDeletionProtection
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/iam/2010-05-08/service-2.json.gz -pkg iamwire -out iamwire/iamwire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ec2/2016-11-15/service-2.json.gz -pkg ec2wire -out ec2wire/ec2wire.go -ops DescribeVpcs,DescribeSubnets,DescribeSecurityGroups,DescribeSecurityGroupRules,DescribeAvailabilityZones,DescribeRegions,DescribeNetworkInterfaces,CreateSecurityGroup,DeleteSecurityGroup,AuthorizeSecurityGroupIngress,AuthorizeSecurityGroupEgress,RevokeSecurityGroupIngress,RevokeSecurityGroupEgress,CreateSubnet,DeleteSubnet,CreateVpc,DeleteVpc,CreateTags,DeleteTags,DescribeTags
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/elbv2/2015-12-01/service-2.json.gz -pkg elbv2wire -out elbv2wire/elbv2wire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ecr/2015-09-21/service-2.json.gz -pkg ecrwire -out ecrwire/ecrwire.go
