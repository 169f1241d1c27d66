//

export * from '../models/AuditEvent.model';
export * from '../models/AuditList.model';
export * from '../models/Bundle.model';
export * from '../models/BundleFile.model';
export * from '../models/ClusterList.model';
export * from '../models/ClusterStatus.model';
export * from '../models/DeploymentProblem.model';
export * from '../models/EntityTopology.model';
export * from '../models/ErrorError.model';
export * from '../models/Health.model';
export * from '../models/HealthDatabase.model';
export * from '../models/HealthDeployTargetsInner.model';
export * from '../models/LiveTopic.model';
export * from '../models/ManagedDeployment.model';
export * from '../models/ManagedDeploymentList.model';
export * from '../models/ModelError.model';
export * from '../models/ServiceTopic.model';
export * from '../models/ServiceTopicReachesInner.model';
export * from '../models/TopicList.model';
export * from '../models/Topology.model';
export * from '../models/TopologyLiveValue.model';
export * from '../models/ValidateRequest.model';
export * from '../models/ValidateResponse.model';
export * from '../models/ValidationProblem.model';
