"""CloudFormation's limits on one template, shared by deploy (inline or through S3) and review (limits).

Source: "Understand CloudFormation quotas",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
"""

MAX_TEMPLATE_BODY = 51_200  # bytes of a template passed inline (TemplateBody); larger ones go through S3
MAX_TEMPLATE_S3 = 1_048_576  # bytes of a template uploaded to S3 (TemplateURL), 1 MB
MAX_RESOURCES = 500  # resources per template
MAX_OUTPUTS = 200  # outputs per template
MAX_PARAMETERS = 200  # parameters per template
