package wire

// Regenerate the wire packages from botocore's models (pip or Debian's
// python3-botocore): BOTOCORE_DATA=$(python3 -c 'import botocore,os;print(os.path.dirname(botocore.__file__))')/data go generate ./internal/wire

//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ecs/2014-11-13/service-2.json.gz -pkg ecswire -out ecswire/ecswire.go -patch ../../tools/awsgen/patches/ecs.json
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/sts/2011-06-15/service-2.json.gz -pkg stswire -out stswire/stswire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/ssm/2014-11-06/service-2.json.gz -pkg ssmwire -out ssmwire/ssmwire.go -ops PutParameter,GetParameter,GetParameters,GetParametersByPath,DeleteParameter,DeleteParameters,DescribeParameters,GetParameterHistory,LabelParameterVersion,UnlabelParameterVersion,AddTagsToResource,ListTagsForResource,RemoveTagsFromResource
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/secretsmanager/2017-10-17/service-2.json.gz -pkg secretsmanagerwire -out secretsmanagerwire/secretsmanagerwire.go
//go:generate go run ../../tools/awsgen -model ${BOTOCORE_DATA}/logs/2014-03-28/service-2.json.gz -pkg logswire -out logswire/logswire.go -ops CreateLogGroup,DeleteLogGroup,DescribeLogGroups,CreateLogStream,DeleteLogStream,DescribeLogStreams,PutLogEvents,GetLogEvents,FilterLogEvents,PutRetentionPolicy,DeleteRetentionPolicy,TagResource,UntagResource,ListTagsForResource,TagLogGroup,UntagLogGroup,ListTagsLogGroup
