// The benchmark fleet as a CDK app, for `cdk synth` timings beside batchjobs' (benchmarks/generate_bench.py).
// BENCH_JOBS stacks, each one scheduled Fargate job: task definition, log group, EventBridge rule -> RunTask,
// in an existing cluster and VPC subnets, as benchmarks/generate_bench.py's fleet (its schedule jobs).
// Needs `npm install` here (aws-cdk, aws-cdk-lib, constructs: package.json); the bench skips CDK when they are
// missing and never installs anything. The README's figures were taken with aws-cdk 2.1149.0 on node 20.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const events = require('aws-cdk-lib/aws-events');
const targets = require('aws-cdk-lib/aws-events-targets');
const logs = require('aws-cdk-lib/aws-logs');

const app = new cdk.App();
const jobs = parseInt(process.env.BENCH_JOBS || '1', 10);
for (let i = 0; i < jobs; i++) {
  const name = `job-${String(i).padStart(4, '0')}`;
  const stack = new cdk.Stack(app, `fleet-${String(i).padStart(4, '0')}`, {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-12345678'],
  });
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'production', vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('main', {
    image: ecs.ContainerImage.fromRegistry(`123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:v${i % 7}`),
    environment: { LOG_LEVEL: 'INFO', JOB_INDEX: String(i) },
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: name,
      logGroup: new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
    }),
  });
  new events.Rule(stack, 'Schedule', {
    schedule: events.Schedule.expression(`cron(${i % 60} ${i % 24} * * ? *)`),
    targets: [new targets.EcsTask({
      cluster, taskDefinition: task,
      subnetSelection: { subnets: [ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-12345678')] },
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-87654321')],
    })],
  });
}
app.synth();
