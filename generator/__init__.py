"""batchjobs: YAML job specs -> validated model -> CloudFormation for ECS Fargate batch jobs."""

__version__ = "0.1.0"
