// Sent in the AWS user agent and shown in the summary; a test keeps it equal to package.json's.
export const ACTION_NAME = 'ecr-image-scan'
export const ACTION_VERSION = '1.0.0'
