package dev.inboxpush.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CrossStackReferences;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.ReferenceStrength;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.CertificateValidation;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.MetricProps;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.Cluster;
import software.amazon.awscdk.services.ecs.ContainerDefinition;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.ContainerInsights;
import software.amazon.awscdk.services.ecs.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.LoadBalancerTargetOptions;
import software.amazon.awscdk.services.ecs.LogDriver;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RequestCountScalingProps;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HttpCodeTarget;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.IManagedPolicy;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.Failover;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.IAliasRecordTargetProps;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * One region: a VPC over two availability zones, an ECS cluster with the listener and the
 * registration API on Fargate, each behind its own internet-facing TLS load balancer, Route 53
 * records, alarms, autoscaling and a collector sidecar in every task that feeds the one Prometheus
 * workspace of all regions ({@link MonitoringStack}).
 *
 * <p>The listener's hostname fails over: this region's stack writes the PRIMARY record of its own
 * listener hostname and the SECONDARY record of the region it backs up ({@link Region#backedUp()}),
 * both aliases of its own listener load balancer with {@code evaluateTargetHealth}. Route 53 thus
 * answers a region's callback hostname with the next region's load balancer while no target of the
 * region's own is healthy, and every stack's records alias only its own load balancer (no reference
 * to another region's). The listener's certificate covers both hostnames.
 *
 * <p>A task's start depends on this region alone: everything ECS fetches to start one (images,
 * secrets, the collector's remote-write URL) is in this region. The remote-write URL is the
 * monitoring stack's, in {@link Region#HOME}, but it reaches this stack as a CDK cross-region
 * reference (strong): at deploy time the monitoring stack writes it to an SSM parameter in this
 * region and this stack's template reads it from there, so the task definition holds the URL
 * itself. Neither a task start nor a deploy of this stack reads anything in us-east-1 (a region can
 * start tasks and be redeployed, for example to raise the replication allowance, while us-east-1 is
 * down). The price of a strong reference: the monitoring stack cannot change the URL (replace the
 * workspace) while a region stack uses it.
 *
 * <p>Health is the management port's readiness ({@value #READINESS}): the table answers. The
 * management port is reachable from the load balancer's security group only; the collector sidecar
 * reaches it over the task's loopback interface.
 */
final class RegionStack extends Stack {

  static final String VPC_CIDR = "10.40.0.0/16";
  static final String READINESS = "/actuator/health/readiness";

  /** The scrape job of deploy/monitoring/prometheus/prometheus.yml, which its rules select. */
  static final String SCRAPE_JOB = "inbox-push";

  static final String SCRAPE_PATH = "/actuator/prometheus";

  /** The collector's environment variable holding the workspace's remote-write URL. */
  static final String REMOTE_WRITE_URL_VARIABLE = "PROMETHEUS_REMOTE_WRITE_URL";

  /** Where the entry point writes secret files (the image's user owns /tmp; nothing is mounted). */
  static final String SECRET_DIR = "/tmp/inbox-push/secrets";

  private final Region region;
  private final Deployment deployment;
  private final Vpc vpc;
  private final Cluster cluster;
  private final String remoteWriteUrl;
  private final IManagedPolicy remoteWrite;
  private final Topic alarms;
  private final Bucket accessLogs;
  private final IHostedZone zone;
  private final ApplicationLoadBalancer listenerAlb;
  private final ApplicationLoadBalancer registrationAlb;

  RegionStack(
      Construct scope,
      String id,
      Region region,
      Deployment deployment,
      MonitoringStack monitoring) {
    super(
        scope,
        id,
        StackProps.builder()
            .env(Environment.builder().region(region.code()).build())
            .description("inbox-push in " + region.code() + ": listener and registration API")
            .crossRegionReferences(true)
            .build());
    // Strong: the value is copied into this region at deploy time (an SSM parameter here), so
    // deploying this stack reads nothing in us-east-1; a weak reference (Fn::GetStackOutput) would
    // read the monitoring stack's output there on every deploy. Set before any child exists.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    this.region = region;
    this.deployment = deployment;

    vpc =
        Vpc.Builder.create(this, "Vpc")
            .ipAddresses(IpAddresses.cidr(VPC_CIDR))
            .maxAzs(2)
            // One NAT gateway per zone: APNs, FCM and the identity provider stay reachable when a
            // zone fails.
            .natGateways(2)
            .flowLogs(
                Map.of(
                    "Rejected",
                    FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs())
                        .trafficType(FlowLogTrafficType.REJECT)
                        .build()))
            .build();
    // Table traffic stays inside AWS's network and off the NAT gateways.
    vpc.addGatewayEndpoint(
        "DynamoDb",
        GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.DYNAMODB).build());

    cluster =
        Cluster.Builder.create(this, "Cluster")
            .vpc(vpc)
            .containerInsightsV2(ContainerInsights.ENABLED)
            .build();

    // A cross-region reference, resolved at deploy time (see the class comment).
    remoteWriteUrl = monitoring.remoteWriteUrl();
    // By its fixed name: IAM is global, so there is nothing to copy into this region.
    remoteWrite =
        ManagedPolicy.fromManagedPolicyName(
            this, "PrometheusRemoteWrite", MonitoringStack.REMOTE_WRITE_POLICY);

    Key alarmKey =
        Key.Builder.create(this, "AlarmKey")
            .description("inbox-push alarm topic")
            .enableKeyRotation(true)
            .build();
    alarmKey.grant(
        new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    alarms =
        Topic.Builder.create(this, "Alarms")
            .displayName("inbox-push " + region.code())
            .masterKey(alarmKey)
            .enforceSsl(true)
            .build();

    accessLogs =
        Bucket.Builder.create(this, "AccessLogs")
            // Load balancer access logs accept SSE-S3 only.
            .encryption(BucketEncryption.S3_MANAGED)
            .enforceSsl(true)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();
    Nag.suppress(
        accessLogs,
        "AwsSolutions-S1",
        "This bucket holds the load balancers' access logs; logging access to it would need a"
            + " further bucket whose own access logs go nowhere.");

    zone =
        HostedZone.fromHostedZoneAttributes(
            this,
            "Zone",
            HostedZoneAttributes.builder()
                .hostedZoneId(deployment.hostedZoneId())
                .zoneName(deployment.domain())
                .build());

    listenerAlb = listener();
    registrationAlb = registration();
    records();
  }

  // ---- the services ------------------------------------------------------------------------

  /** How one service differs from the other. */
  private record ServiceSpec(
      String name,
      String repository,
      ServiceAccess access,
      int port,
      int managementPort,
      int cpu,
      int memoryMiB,
      int maxTasks,
      Map<String, String> environment,
      Map<String, software.amazon.awscdk.services.ecs.Secret> secrets,
      List<String> hostnames,
      @Nullable Integer requestsPerTargetPerMinute,
      @Nullable Duration latencyAlarm) {}

  private ApplicationLoadBalancer listener() {
    Map<String, String> env = common();
    env.put("INBOXPUSH_LISTENER_CALLBACK_TRUSTED_PROXIES", VPC_CIDR);
    if (deployment.replicationAllowance() != null) {
      // Read at start-up: a changed value reaches the listener through new tasks, which a changed
      // task definition brings.
      env.put(
          "INBOXPUSH_LISTENER_ANSWER_REPLICATIONALLOWANCE",
          deployment.replicationAllowance().toSeconds() + "s");
    }
    Map<String, software.amazon.awscdk.services.ecs.Secret> secrets = new LinkedHashMap<>();
    List<String> files = new ArrayList<>();
    for (int i = 0; i < deployment.apnsApps().size(); i++) {
      Deployment.ApnsApp app = deployment.apnsApps().get(i);
      String prefix = "INBOXPUSH_APNS_APPS_" + i + "_";
      String file = SECRET_DIR + "/apns/" + app.topic() + ".p8";
      env.put(prefix + "TOPIC", app.topic());
      env.put(prefix + "TOKEN_KEY_FILE", file);
      env.put(prefix + "TOKEN_KEY_ID", app.keyId());
      env.put(prefix + "TOKEN_TEAM_ID", app.teamId());
      ISecret secret = Secret.fromSecretNameV2(this, "ApnsKey" + i, Deployment.apnsSecretName(app));
      String variable = "APNS_KEY_" + i;
      secrets.put(
          variable, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret, "key"));
      secrets.put(
          variable + "_WRITTEN_AT",
          software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret, "writtenAt"));
      files.add(variable + "=" + file);
    }
    // Certificate apps follow the token apps in the listener's list of apps.
    for (int c = 0; c < deployment.apnsCertificateApps().size(); c++) {
      String topic = deployment.apnsCertificateApps().get(c);
      String prefix = "INBOXPUSH_APNS_APPS_" + (deployment.apnsApps().size() + c) + "_";
      String file = SECRET_DIR + "/apns/" + topic + ".p12";
      env.put(prefix + "TOPIC", topic);
      env.put(prefix + "CERTIFICATE_FILE", file);
      ISecret secret =
          Secret.fromSecretNameV2(
              this, "ApnsCertificate" + c, Deployment.apnsCertificateSecretName(topic));
      // A binary file: the entry point decodes a _BASE64 variable. The password is a setting
      // already, so it arrives as one.
      String variable = "APNS_CERTIFICATE_" + c + "_BASE64";
      secrets.put(
          variable, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret, "p12"));
      secrets.put(
          prefix + "CERTIFICATE_PASSWORD",
          software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret, "password"));
      files.add(variable + "=" + file);
    }
    for (int i = 0; i < deployment.fcmProjects().size(); i++) {
      String project = deployment.fcmProjects().get(i);
      String prefix = "INBOXPUSH_FCM_PROJECTS_" + i + "_";
      String file = SECRET_DIR + "/fcm/" + project + ".json";
      env.put(prefix + "PROJECT_ID", project);
      env.put(prefix + "CREDENTIALS_FILE", file);
      ISecret secret =
          Secret.fromSecretNameV2(this, "FcmKey" + i, Deployment.fcmSecretName(project));
      String variable = "FCM_CREDENTIALS_" + i;
      secrets.put(variable, software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(secret));
      files.add(variable + "=" + file);
    }
    if (!files.isEmpty()) {
      env.put("INBOXPUSH_SECRET_FILES", String.join(",", files));
    }
    return service(
        new ServiceSpec(
            "listener",
            "inbox-push/listener-service",
            ServiceAccess.LISTENER,
            8082,
            9082,
            1024,
            2048,
            20,
            env,
            secrets,
            List.of(deployment.listenerHost(region), deployment.listenerHost(region.backedUp())),
            // 100 callbacks a second per task; the benchmarks (benchmarks/) put one instance's
            // ceiling well above that, so CPU usually scales first.
            6000,
            Duration.seconds(2)));
  }

  private ApplicationLoadBalancer registration() {
    Map<String, String> env = common();
    env.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", deployment.issuerUri());
    env.put(
        "INBOXPUSH_REGISTRATION_LISTENER_BASE_URL", "https://" + deployment.listenerHost(region));
    ISecret ownerHash =
        Secret.fromSecretNameV2(this, "OwnerHashKey", Deployment.OWNER_HASH_SECRET_NAME);
    return service(
        new ServiceSpec(
            "registration",
            "inbox-push/registration-service",
            ServiceAccess.REGISTRATION,
            8081,
            9081,
            512,
            1024,
            10,
            env,
            Map.of(
                "INBOXPUSH_REGISTRATION_OWNER_HASH_KEY",
                software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(ownerHash)),
            List.of(deployment.registrationHost(region)),
            null,
            null));
  }

  private Map<String, String> common() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("INBOXPUSH_REGION", region.code());
    env.put("INBOXPUSH_DYNAMODB_TABLE_NAME", deployment.tableName());
    env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
    return env;
  }

  private ApplicationLoadBalancer service(ServiceSpec spec) {
    String id = Character.toUpperCase(spec.name().charAt(0)) + spec.name().substring(1);

    LogGroup logs =
        LogGroup.Builder.create(this, id + "Logs")
            .logGroupName("/inbox-push/" + spec.name())
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.RETAIN)
            .build();

    FargateTaskDefinition task =
        FargateTaskDefinition.Builder.create(this, id + "Task")
            .cpu(spec.cpu())
            .memoryLimitMiB(spec.memoryMiB())
            .build();
    IRepository repository =
        Repository.fromRepositoryName(this, id + "Repository", spec.repository());
    Map<String, String> environment = new LinkedHashMap<>(spec.environment());
    environment.put("PORT", Integer.toString(spec.port()));
    environment.put("MANAGEMENT_PORT", Integer.toString(spec.managementPort()));
    environment.put("MANAGEMENT_ADDRESS", "0.0.0.0");
    ContainerDefinition app =
        task.addContainer(
            "App",
            ContainerDefinitionOptions.builder()
                .image(ContainerImage.fromEcrRepository(repository, deployment.imageTag()))
                .essential(true)
                .environment(environment)
                .secrets(spec.secrets())
                .portMappings(
                    List.of(
                        PortMapping.builder().containerPort(spec.port()).build(),
                        PortMapping.builder().containerPort(spec.managementPort()).build()))
                .healthCheck(
                    software.amazon.awscdk.services.ecs.HealthCheck.builder()
                        .command(
                            List.of(
                                "CMD",
                                "/opt/inbox-push/bin/ready",
                                Integer.toString(spec.managementPort()),
                                READINESS))
                        .interval(Duration.seconds(10))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        .startPeriod(Duration.seconds(120))
                        .build())
                // Graceful shutdown: answers in flight finish, pending badges are in the table.
                .stopTimeout(Duration.seconds(60))
                .logging(
                    LogDriver.awsLogs(
                        AwsLogDriverProps.builder()
                            .logGroup(logs)
                            .streamPrefix(spec.name())
                            .build()))
                .build());
    task.addContainer(
        "Collector",
        ContainerDefinitionOptions.builder()
            .image(ContainerImage.fromRegistry(deployment.collectorImage()))
            // Losing metrics must not stop the service.
            .essential(false)
            .memoryReservationMiB(128)
            .environment(
                Map.of(
                    "AOT_CONFIG_CONTENT",
                    collectorConfig(spec),
                    // A plain value in the task definition (written at deploy time), not a secret
                    // ECS would fetch at task start.
                    REMOTE_WRITE_URL_VARIABLE,
                    remoteWriteUrl))
            .logging(
                LogDriver.awsLogs(
                    AwsLogDriverProps.builder()
                        .logGroup(logs)
                        .streamPrefix(spec.name() + "-collector")
                        .build()))
            .build());
    grantTable(task, spec.access());
    task.getTaskRole().addManagedPolicy(remoteWrite);
    Nag.suppress(
        task,
        Nag.rule(
            "AwsSolutions-ECS2",
            "Only non-secret settings are environment variables (region, table, ports, hostnames,"
                + " key ids); every secret comes from Secrets Manager through the secrets field."),
        Nag.rule(
            "AwsSolutions-IAM5",
            "The one wildcard is in the execution role CDK grants: ecr:GetAuthorizationToken has no"
                + " resource-level permissions, so its resource can only be *.",
            "Resource::*"));

    SecurityGroup albGroup =
        SecurityGroup.Builder.create(this, id + "AlbSecurityGroup")
            .vpc(vpc)
            .description("inbox-push " + spec.name() + " load balancer: HTTPS from anywhere")
            .allowAllOutbound(false)
            .build();
    albGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), "HTTPS");
    Nag.suppress(
        albGroup,
        "AwsSolutions-EC23",
        spec.name().equals("listener")
            ? "Exchange servers post callbacks from customers' own networks, unknown here; the"
                + " listener's allowed-networks setting narrows them per installation."
            : "Devices reach the registration API from any network; it authenticates every call"
                + " with a bearer token and rate-limits callers.");
    SecurityGroup serviceGroup =
        SecurityGroup.Builder.create(this, id + "SecurityGroup")
            .vpc(vpc)
            .description("inbox-push " + spec.name() + " tasks: from their load balancer only")
            .allowAllOutbound(true)
            .build();

    FargateService service =
        FargateService.Builder.create(this, id + "Service")
            .cluster(cluster)
            .taskDefinition(task)
            .desiredCount(2)
            .minHealthyPercent(100)
            .maxHealthyPercent(200)
            .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
            .vpcSubnets(
                SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
            .securityGroups(List.of(serviceGroup))
            .assignPublicIp(false)
            .healthCheckGracePeriod(Duration.seconds(180))
            .build();

    ApplicationLoadBalancer alb =
        ApplicationLoadBalancer.Builder.create(this, id + "Alb")
            .vpc(vpc)
            .internetFacing(true)
            .securityGroup(albGroup)
            .dropInvalidHeaderFields(true)
            .build();
    alb.logAccessLogs(accessLogs, spec.name());
    Certificate certificate =
        Certificate.Builder.create(this, id + "Certificate")
            .domainName(spec.hostnames().get(0))
            .subjectAlternativeNames(spec.hostnames().subList(1, spec.hostnames().size()))
            .validation(CertificateValidation.fromDns(zone))
            .build();
    ApplicationListener https =
        alb.addListener(
            "Https",
            BaseApplicationListenerProps.builder()
                .port(443)
                .protocol(ApplicationProtocol.HTTPS)
                .certificates(List.of(ListenerCertificate.fromCertificateManager(certificate)))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS)
                .open(false)
                .build());
    ApplicationTargetGroup targets =
        https.addTargets(
            id,
            AddApplicationTargetsProps.builder()
                .port(spec.port())
                .protocol(ApplicationProtocol.HTTP)
                .targets(
                    List.of(
                        service.loadBalancerTarget(
                            LoadBalancerTargetOptions.builder()
                                .containerName("App")
                                .containerPort(spec.port())
                                .build())))
                .healthCheck(
                    software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                        .path(READINESS)
                        .port(Integer.toString(spec.managementPort()))
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(10))
                        .timeout(Duration.seconds(5))
                        .healthyThresholdCount(2)
                        .unhealthyThresholdCount(3)
                        .build())
                .deregistrationDelay(Duration.seconds(30))
                .build());
    service
        .getConnections()
        .allowFrom(albGroup, Port.tcp(spec.managementPort()), "readiness checks");

    ScalableTaskCount scaling =
        service.autoScaleTaskCount(
            EnableScalingProps.builder().minCapacity(2).maxCapacity(spec.maxTasks()).build());
    scaling.scaleOnCpuUtilization(
        "Cpu", CpuUtilizationScalingProps.builder().targetUtilizationPercent(60).build());
    if (spec.requestsPerTargetPerMinute() != null) {
      scaling.scaleOnRequestCount(
          "Requests",
          RequestCountScalingProps.builder()
              .requestsPerTarget(spec.requestsPerTargetPerMinute())
              .targetGroup(targets)
              .build());
    }

    alarms(id, spec, targets, service);
    return alb;
  }

  private void grantTable(FargateTaskDefinition task, ServiceAccess access) {
    task.addToTaskRolePolicy(
        PolicyStatement.Builder.create()
            .sid("Table")
            .actions(access.tableActions())
            .resources(List.of(tableArn("")))
            .build());
    if (!access.updatedPartitions().isEmpty()) {
      task.addToTaskRolePolicy(
          PolicyStatement.Builder.create()
              .sid("UpdateOwnPartitions")
              .actions(List.of(ServiceAccess.UPDATE_ITEM))
              .resources(List.of(tableArn("")))
              .conditions(
                  Map.of(
                      "ForAllValues:StringLike",
                      Map.of("dynamodb:LeadingKeys", access.updatedPartitions())))
              .build());
    }
    task.addToTaskRolePolicy(
        PolicyStatement.Builder.create()
            .sid("Indexes")
            .actions(List.of(ServiceAccess.QUERY))
            .resources(
                access.queriedIndexes().stream().map(index -> tableArn("/index/" + index)).toList())
            .build());
  }

  /** The table's replica in this region (or one of its indexes, with {@code suffix}). */
  String tableArn(String suffix) {
    return formatArn(
        ArnComponents.builder()
            .service("dynamodb")
            .resource("table")
            .resourceName(deployment.tableName() + suffix)
            .build());
  }

  /**
   * The ADOT collector's configuration: scrape the service's management port over loopback every 15
   * s, as the job and with the target labels deploy/monitoring's Prometheus gives it ({@code
   * prometheus/targets}: {@code service}, {@code region}, which {@code up} carries and the region
   * rules read), and remote-write to the one workspace in {@link Region#HOME}, signed with the task
   * role for that region. The URL comes from {@value #REMOTE_WRITE_URL_VARIABLE}, a plain
   * environment variable of the collector's (the collector expands {@code ${env:...}} in its
   * configuration).
   *
   * <p>Every task scrapes {@code 127.0.0.1:<port>}, so the scraper's {@code instance} would be the
   * same for all tasks and merge them ({@code InboxPushListenerSilent} is per instance). The ECS
   * detector reads the task's ARN from the task metadata endpoint, and the {@code resource}
   * processor makes it {@code service.instance.id}, which remote write sends as {@code instance}.
   */
  private String collectorConfig(ServiceSpec spec) {
    return String.join(
        "\n",
        "extensions:",
        "  sigv4auth:",
        "    region: " + Region.HOME.code(),
        "    service: aps",
        "receivers:",
        "  prometheus:",
        "    config:",
        "      global:",
        "        scrape_interval: 15s",
        "        scrape_timeout: 10s",
        "      scrape_configs:",
        // The job deploy/monitoring's rules and dashboards select (the services label every series
        // with their service and region themselves; the target labels are for up).
        "        - job_name: " + SCRAPE_JOB,
        "          honor_labels: true",
        "          metrics_path: " + SCRAPE_PATH,
        "          static_configs:",
        "            - targets: ['127.0.0.1:" + spec.managementPort() + "']",
        "              labels:",
        "                service: " + spec.name(),
        "                region: " + region.code(),
        "processors:",
        "  resourcedetection:",
        "    detectors: [env, ecs]",
        "    timeout: 5s",
        "    override: false",
        "  resource/instance:",
        "    attributes:",
        "      - key: service.instance.id",
        "        from_attribute: aws.ecs.task.arn",
        "        action: upsert",
        "  batch: {}",
        "exporters:",
        "  prometheusremotewrite:",
        "    endpoint: ${env:" + REMOTE_WRITE_URL_VARIABLE + "}",
        "    auth:",
        "      authenticator: sigv4auth",
        "service:",
        "  extensions: [sigv4auth]",
        "  pipelines:",
        "    metrics:",
        "      receivers: [prometheus]",
        "      processors: [resourcedetection, resource/instance, batch]",
        "      exporters: [prometheusremotewrite]",
        "");
  }

  private void alarms(
      String id, ServiceSpec spec, ApplicationTargetGroup targets, FargateService service) {
    MetricOptions fiveMinutes = MetricOptions.builder().period(Duration.minutes(5)).build();
    // A task that crashes takes its collector with it, so Prometheus sees its series end, not an
    // instance down; ECS sees it: fewer tasks running than it wants, for ten minutes (a crash loop,
    // or tasks that cannot start), from Container Insights.
    Map<String, String> dimensions =
        Map.of("ClusterName", cluster.getClusterName(), "ServiceName", service.getServiceName());
    alarm(
        Alarm.Builder.create(this, id + "TasksMissing")
            .alarmDescription(
                "inbox-push "
                    + spec.name()
                    + " in "
                    + region.code()
                    + ": fewer tasks run than desired for 10 minutes (tasks crash or cannot"
                    + " start); docs/runbook.md#inboxpushinstancedown")
            .metric(
                MathExpression.Builder.create()
                    .expression("desired - running")
                    .usingMetrics(
                        Map.of(
                            "desired",
                            containerInsights("DesiredTaskCount", dimensions),
                            "running",
                            containerInsights("RunningTaskCount", dimensions)))
                    .period(Duration.minutes(1))
                    .label("tasks missing")
                    .build())
            .threshold(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .evaluationPeriods(10)
            .treatMissingData(TreatMissingData.NOT_BREACHING));
    alarm(
        Alarm.Builder.create(this, id + "NoHealthyTask")
            .alarmDescription(
                "inbox-push "
                    + spec.name()
                    + " in "
                    + region.code()
                    + ": no task passes readiness (the table does not answer, or every task is"
                    + " down); Route 53 fails the listener's hostname over. docs/runbook.md")
            .metric(
                targets
                    .getMetrics()
                    .healthyHostCount(
                        MetricOptions.builder()
                            .period(Duration.minutes(1))
                            .statistic("Minimum")
                            .build()))
            .threshold(1)
            .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
            .evaluationPeriods(2)
            .treatMissingData(TreatMissingData.BREACHING));
    IMetric errors =
        MathExpression.Builder.create()
            .expression("IF(requests > 20, 100 * errors / requests, 0)")
            .usingMetrics(
                Map.of(
                    "errors",
                    targets
                        .getMetrics()
                        .httpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, fiveMinutes),
                    "requests",
                    targets.getMetrics().requestCount(fiveMinutes)))
            .period(Duration.minutes(5))
            .label("5xx %")
            .build();
    alarm(
        Alarm.Builder.create(this, id + "ServerErrors")
            .alarmDescription(
                "inbox-push " + spec.name() + " in " + region.code() + ": over 1% answers are 5xx")
            .metric(errors)
            .threshold(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
            .evaluationPeriods(3)
            .treatMissingData(TreatMissingData.NOT_BREACHING));
    if (spec.latencyAlarm() != null) {
      alarm(
          Alarm.Builder.create(this, id + "SlowAnswers")
              .alarmDescription(
                  "inbox-push "
                      + spec.name()
                      + " in "
                      + region.code()
                      + ": p99 answer time over "
                      + spec.latencyAlarm().toSeconds()
                      + " s (Exchange retries, then drops the subscription)")
              .metric(
                  targets
                      .getMetrics()
                      .targetResponseTime(
                          MetricOptions.builder()
                              .period(Duration.minutes(5))
                              .statistic("p99")
                              .build()))
              .threshold(spec.latencyAlarm().toSeconds())
              .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
              .evaluationPeriods(3)
              .treatMissingData(TreatMissingData.NOT_BREACHING));
    }
  }

  private static Metric containerInsights(String name, Map<String, String> dimensions) {
    return new Metric(
        MetricProps.builder()
            .namespace("ECS/ContainerInsights")
            .metricName(name)
            .period(Duration.minutes(1))
            .statistic("Average")
            .dimensionsMap(dimensions)
            .build());
  }

  private void alarm(Alarm.Builder builder) {
    builder.build().addAlarmAction(new SnsAction(alarms));
  }

  // ---- DNS ---------------------------------------------------------------------------------

  private void records() {
    ARecord.Builder.create(this, "ListenerPrimary")
        .zone(zone)
        .recordName(deployment.listenerHost(region))
        .target(alias(listenerAlb))
        .failover(Failover.PRIMARY)
        .setIdentifier(region.code() + "-primary")
        .build();
    ARecord.Builder.create(this, "ListenerSecondary")
        .zone(zone)
        .recordName(deployment.listenerHost(region.backedUp()))
        .target(alias(listenerAlb))
        .failover(Failover.SECONDARY)
        .setIdentifier(region.backedUp().code() + "-secondary-" + region.code())
        .build();
    ARecord.Builder.create(this, "Registration")
        .zone(zone)
        .recordName(deployment.registrationHost(region))
        .target(alias(registrationAlb))
        .build();
  }

  private static RecordTarget alias(ApplicationLoadBalancer alb) {
    return RecordTarget.fromAlias(
        new LoadBalancerTarget(
            alb,
            new IAliasRecordTargetProps() {
              @Override
              public Boolean getEvaluateTargetHealth() {
                return true;
              }
            }));
  }
}
