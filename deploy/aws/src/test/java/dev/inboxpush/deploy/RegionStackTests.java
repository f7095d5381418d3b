package dev.inboxpush.deploy;

import static dev.inboxpush.deploy.Cfn.list;
import static dev.inboxpush.deploy.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awscdk.assertions.Template;

/** One region's network, services, secrets, scaling and alarms, as synthesized. */
class RegionStackTests {

  private static Map<String, Object> container(Template template, String service, String name) {
    Map<String, Object> task = Cfn.one(template, "AWS::ECS::TaskDefinition", service + "Task");
    return list(task.get("ContainerDefinitions")).stream()
        .map(Cfn::map)
        .filter(c -> name.equals(c.get("Name")))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, String> environment(Map<String, Object> container) {
    Map<String, String> env = new TreeMap<>();
    for (Object e : list(container.get("Environment"))) {
      env.put((String) map(e).get("Name"), Cfn.text(map(e).get("Value")));
    }
    return env;
  }

  private static Map<String, String> secrets(Map<String, Object> container) {
    Map<String, String> secrets = new TreeMap<>();
    if (!container.containsKey("Secrets")) {
      return secrets;
    }
    for (Object e : list(container.get("Secrets"))) {
      secrets.put((String) map(e).get("Name"), Cfn.text(map(e).get("ValueFrom")));
    }
    return secrets;
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void twoAvailabilityZonesWithPrivateTasks(Region region) {
    Template template = Synthesized.region(region);
    template.resourceCountIs("AWS::EC2::Subnet", 4);
    template.resourceCountIs("AWS::EC2::NatGateway", 2);
    Set<String> zones =
        Cfn.resources(template, "AWS::EC2::Subnet").values().stream()
            .map(s -> Cfn.text(s.get("AvailabilityZone")))
            .collect(Collectors.toSet());
    assertThat(zones).hasSize(2);
    for (Map<String, Object> service : Cfn.resources(template, "AWS::ECS::Service").values()) {
      assertThat(service.get("LaunchType")).isEqualTo("FARGATE");
      assertThat(service.get("DesiredCount")).isEqualTo(2);
      Map<String, Object> network =
          map(map(service.get("NetworkConfiguration")).get("AwsvpcConfiguration"));
      assertThat(network.get("AssignPublicIp")).isEqualTo("DISABLED");
    }
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void onlyHttpsIsPublicAndManagementPortsOnlyAnswerTheLoadBalancer(Region region) {
    Template template = Synthesized.region(region);
    for (Map<String, Object> listener :
        Cfn.resources(template, "AWS::ElasticLoadBalancingV2::Listener").values()) {
      assertThat(listener.get("Port")).isEqualTo(443);
      assertThat(listener.get("Protocol")).isEqualTo("HTTPS");
    }
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : Cfn.resources(template, "AWS::EC2::SecurityGroup").values()) {
      if (group.containsKey("SecurityGroupIngress")) {
        list(group.get("SecurityGroupIngress")).forEach(r -> rules.add(map(r)));
      }
    }
    rules.addAll(Cfn.resources(template, "AWS::EC2::SecurityGroupIngress").values());
    assertThat(rules).isNotEmpty();
    for (Map<String, Object> rule : rules) {
      if (rule.containsKey("CidrIp") || rule.containsKey("CidrIpv6")) {
        // The only rules open to addresses: HTTPS on the load balancers.
        assertThat(rule).containsEntry("FromPort", 443).containsEntry("ToPort", 443);
      } else {
        assertThat(rule).containsKey("SourceSecurityGroupId");
      }
    }
    assertThat(rules)
        .filteredOn(r -> Set.of(9081, 9082).contains(r.get("FromPort")))
        .hasSize(2)
        .allSatisfy(
            r -> assertThat(Cfn.text(r.get("SourceSecurityGroupId"))).contains("AlbSecurityGroup"));
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void targetGroupsCheckReadinessOnTheManagementPort(Region region) {
    Map<String, Integer> managementPorts = new TreeMap<>();
    for (Map<String, Object> group :
        Cfn.resources(Synthesized.region(region), "AWS::ElasticLoadBalancingV2::TargetGroup")
            .values()) {
      assertThat(group.get("TargetType")).isEqualTo("ip");
      assertThat(group.get("HealthCheckPath")).isEqualTo("/actuator/health/readiness");
      assertThat(group.get("Matcher")).isEqualTo(Map.of("HttpCode", "200"));
      managementPorts.put(
          group.get("Port").toString(), Integer.parseInt((String) group.get("HealthCheckPort")));
    }
    assertThat(managementPorts).containsExactly(Map.entry("8081", 9081), Map.entry("8082", 9082));
  }

  /** The ports and readiness path are the images' own (their EXPOSE and HEALTHCHECK). */
  @Test
  void portsAndReadinessPathAreTheImagesOwn() throws IOException {
    for (String service : List.of("listener-service:8082:9082", "registration-service:8081:9081")) {
      String[] parts = service.split(":");
      String dockerfile = Files.readString(Path.of("..", "docker", parts[0], "Dockerfile"));
      assertThat(dockerfile)
          .contains("EXPOSE " + parts[1] + " " + parts[2])
          .contains("/opt/inbox-push/bin/ready \"$MANAGEMENT_PORT\" " + RegionStack.READINESS);
      Map<String, Object> app =
          container(
              Synthesized.region(Region.US_EAST_1),
              parts[0].startsWith("listener") ? "Listener" : "Registration",
              "App");
      assertThat(environment(app))
          .containsEntry("PORT", parts[1])
          .containsEntry("MANAGEMENT_PORT", parts[2])
          .containsEntry("MANAGEMENT_ADDRESS", "0.0.0.0");
      assertThat(Cfn.text(app.get("Image"))).contains("inbox-push/" + parts[0] + ":0.1.0-abc1234");
    }
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void secretsComeFromSecretsManagerAndBecomeFilesAtStart(Region region) {
    Map<String, Object> listener = container(Synthesized.region(region), "Listener", "App");
    Map<String, String> env = environment(listener);
    Map<String, String> secrets = secrets(listener);
    String key = "/tmp/inbox-push/secrets/apns/com.example.mail.p8";
    String fcm = "/tmp/inbox-push/secrets/fcm/example-mail.json";
    String p12 = "/tmp/inbox-push/secrets/apns/com.example.legacy.p12";
    assertThat(env)
        .containsEntry("INBOXPUSH_APNS_APPS_0_TOPIC", "com.example.mail")
        .containsEntry("INBOXPUSH_APNS_APPS_0_TOKEN_KEY_FILE", key)
        .containsEntry("INBOXPUSH_APNS_APPS_0_TOKEN_KEY_ID", "ABC123DEFG")
        .containsEntry("INBOXPUSH_FCM_PROJECTS_0_PROJECT_ID", "example-mail")
        .containsEntry("INBOXPUSH_FCM_PROJECTS_0_CREDENTIALS_FILE", fcm)
        .containsEntry(
            "INBOXPUSH_SECRET_FILES",
            "APNS_KEY_0=" + key + ",APNS_CERTIFICATE_0_BASE64=" + p12 + ",FCM_CREDENTIALS_0=" + fcm)
        // The certificate app follows the token app.
        .containsEntry("INBOXPUSH_APNS_APPS_1_TOPIC", "com.example.legacy")
        .containsEntry("INBOXPUSH_APNS_APPS_1_CERTIFICATE_FILE", p12)
        .doesNotContainKey("INBOXPUSH_APNS_APPS_1_TOKEN_KEY_FILE")
        .doesNotContainKey("INBOXPUSH_APNS_APPS_1_CERTIFICATE_PASSWORD")
        .containsEntry("INBOXPUSH_REGION", region.code())
        .containsEntry("INBOXPUSH_LISTENER_CALLBACK_TRUSTED_PROXIES", RegionStack.VPC_CIDR)
        // The replicationAllowance context value, in the listener's duration syntax.
        .containsEntry("INBOXPUSH_LISTENER_ANSWER_REPLICATIONALLOWANCE", "120s");
    assertThat(secrets)
        .containsOnlyKeys(
            "APNS_KEY_0",
            "APNS_KEY_0_WRITTEN_AT",
            "APNS_CERTIFICATE_0_BASE64",
            "INBOXPUSH_APNS_APPS_1_CERTIFICATE_PASSWORD",
            "FCM_CREDENTIALS_0");
    String arn =
        "arn:${AWS::Partition}:secretsmanager:" + region.code() + ":${AWS::AccountId}:secret:";
    assertThat(secrets.get("APNS_KEY_0")).isEqualTo(arn + "inboxpush/apns/com.example.mail:key::");
    assertThat(secrets.get("APNS_KEY_0_WRITTEN_AT"))
        .isEqualTo(arn + "inboxpush/apns/com.example.mail:writtenAt::");
    assertThat(secrets.get("FCM_CREDENTIALS_0")).isEqualTo(arn + "inboxpush/fcm/example-mail");
    // The .p12, base64 (the entry point decodes _BASE64 variables), and its password.
    assertThat(secrets.get("APNS_CERTIFICATE_0_BASE64"))
        .isEqualTo(arn + "inboxpush/apns/com.example.legacy:p12::");
    assertThat(secrets.get("INBOXPUSH_APNS_APPS_1_CERTIFICATE_PASSWORD"))
        .isEqualTo(arn + "inboxpush/apns/com.example.legacy:password::");

    Map<String, Object> registration = container(Synthesized.region(region), "Registration", "App");
    assertThat(environment(registration))
        .doesNotContainKey("INBOXPUSH_LISTENER_ANSWER_REPLICATIONALLOWANCE");
    assertThat(secrets(registration))
        .containsOnlyKeys("INBOXPUSH_REGISTRATION_OWNER_HASH_KEY")
        .containsValue(arn + Deployment.OWNER_HASH_SECRET_NAME);
    assertThat(environment(registration))
        .containsEntry(
            "INBOXPUSH_REGISTRATION_LISTENER_BASE_URL",
            "https://mailboxlistener." + region.code() + ".push.example.net")
        .containsEntry(
            "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUER_URI", "https://login.example.net");
  }

  /** Every setting the stack gives a service is one its env example documents. */
  @Test
  void everySettingIsOneTheServicesKnow() throws IOException {
    for (String service :
        List.of("Listener:listener-service", "Registration:registration-service")) {
      String[] parts = service.split(":");
      String example = Files.readString(Path.of("..", "env", parts[1] + ".env.example"));
      Map<String, Object> app = container(Synthesized.region(Region.EU_WEST_1), parts[0], "App");
      List<String> names = new ArrayList<>(environment(app).keySet());
      names.addAll(secrets(app).keySet());
      // The example documents a list's first entry; later ones are the same settings.
      names.replaceAll(n -> n.replaceFirst("^INBOXPUSH_APNS_APPS_\\d+_", "INBOXPUSH_APNS_APPS_0_"));
      names.removeIf(
          n ->
              n.equals("INBOXPUSH_SECRET_FILES")
                  || n.startsWith("APNS_KEY_")
                  || n.startsWith("APNS_CERTIFICATE_")
                  || n.startsWith("FCM_CREDENTIALS_"));
      assertThat(names).isNotEmpty();
      for (String name : names) {
        assertThat(example)
            .as("%s in %s.env.example", name, parts[1])
            .containsPattern("(?m)^#?" + name + "=");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object yaml, String... path) {
    Object value = yaml;
    for (String key : path) {
      value = value instanceof List<?> l ? l.get(Integer.parseInt(key)) : map(value).get(key);
      assertThat(value).as(String.join(".", path)).isNotNull();
    }
    return (T) value;
  }

  /**
   * The sidecar's configuration, parsed: it scrapes the management port as the job and with the
   * target labels deploy/monitoring's Prometheus uses ({@code up} needs {@code region} and {@code
   * service} for the region rules), gives each task its own {@code instance} (the task's ARN from
   * the ECS resource detector; without it every task is {@code 127.0.0.1:<port>}), and
   * remote-writes, signed for us-east-1, to the monitoring stack's URL, which is a plain value of
   * the task definition: in us-east-1 the monitoring stack's export, elsewhere the copy CDK's
   * cross-region reference keeps in this region (read by the stack's export reader at deploy time).
   */
  @ParameterizedTest
  @EnumSource(Region.class)
  void aCollectorSidecarScrapesTheManagementPortIntoTheOneWorkspace(Region region)
      throws IOException {
    Template template = Synthesized.region(region);
    template.resourceCountIs("AWS::APS::Workspace", 0);
    String monitoring =
        Files.readString(Path.of("..", "monitoring", "prometheus", "prometheus.yml"));
    String targets =
        Files.readString(Path.of("..", "monitoring", "prometheus", "targets", "local.json"));
    for (String service : List.of("Listener:9082:listener", "Registration:9081:registration")) {
      String[] parts = service.split(":");
      Map<String, Object> collector = container(template, parts[0], "Collector");
      assertThat(collector.get("Essential")).isEqualTo(false);
      // The job deploy/monitoring's Prometheus scrapes, which its rules and dashboards select.
      assertThat(monitoring).contains("job_name: " + RegionStack.SCRAPE_JOB);
      Object config = new Yaml().load(environment(collector).get("AOT_CONFIG_CONTENT"));

      Map<String, Object> scrape =
          at(config, "receivers", "prometheus", "config", "scrape_configs", "0");
      assertThat(scrape)
          .containsEntry("job_name", RegionStack.SCRAPE_JOB)
          .containsEntry("honor_labels", true)
          .containsEntry("metrics_path", RegionStack.SCRAPE_PATH);
      assertThat(at(scrape, "static_configs", "0", "targets").toString())
          .isEqualTo("[127.0.0.1:" + parts[1] + "]");
      Map<String, Object> labels = at(scrape, "static_configs", "0", "labels");
      assertThat(labels)
          .containsExactlyInAnyOrderEntriesOf(Map.of("service", parts[2], "region", region.code()));
      // The same label values as the local targets file the rules were tested with.
      assertThat(targets).contains("\"service\": \"" + parts[2] + "\"");

      assertThat(at(config, "processors", "resourcedetection", "detectors").toString())
          .contains("ecs");
      Map<String, Object> instance =
          at(config, "processors", "resource/instance", "attributes", "0");
      assertThat(instance)
          .containsEntry("key", "service.instance.id")
          .containsEntry("from_attribute", "aws.ecs.task.arn")
          .containsEntry("action", "upsert");
      // Detection first: the resource processor reads what it found.
      assertThat(at(config, "service", "pipelines", "metrics", "processors").toString())
          .isEqualTo("[resourcedetection, resource/instance, batch]");

      assertThat(at(config, "extensions", "sigv4auth", "region").toString())
          .isEqualTo(Region.HOME.code());
      assertThat(at(config, "exporters", "prometheusremotewrite", "endpoint").toString())
          .isEqualTo("${env:" + RegionStack.REMOTE_WRITE_URL_VARIABLE + "}");
      // Nothing ECS would fetch at task start.
      assertThat(collector).doesNotContainKey("Secrets");
      Object url =
          list(collector.get("Environment")).stream()
              .map(Cfn::map)
              .filter(e -> RegionStack.REMOTE_WRITE_URL_VARIABLE.equals(e.get("Name")))
              .findFirst()
              .orElseThrow()
              .get("Value");
      String reference = String.valueOf(url);
      assertThat(reference).contains("api/v1/remote_write");
      if (region == Region.HOME) {
        assertThat(reference).contains("Fn::ImportValue").contains("InboxPush-Monitoring");
      } else {
        assertThat(reference)
            .contains("ExportsReader")
            .contains("/cdk/exports/InboxPush-" + region.code() + "/");
      }
    }
    if (region != Region.HOME) {
      Map<String, Object> reader =
          Cfn.one(template, "Custom::CrossRegionExportReader", "ExportsReader");
      assertThat(map(reader.get("ReaderProps"))).containsEntry("region", region.code());
    }
  }

  /**
   * A task starts with what its own region has: every secret ECS fetches for a container (at task
   * start, for the whole task) is in the stack's region, so no other region's outage stops a task
   * from starting here.
   */
  @ParameterizedTest
  @EnumSource(Region.class)
  void noContainerSecretNamesAnArnOutsideItsStacksRegion(Region region) {
    Template template = Synthesized.region(region);
    int secrets = 0;
    for (Map<String, Object> task : Cfn.resources(template, "AWS::ECS::TaskDefinition").values()) {
      for (Object c : list(task.get("ContainerDefinitions"))) {
        for (String valueFrom : secrets(map(c)).values()) {
          secrets++;
          assertThat(valueFrom)
              .as("%s: %s", map(c).get("Name"), valueFrom)
              .matches("^arn:\\$\\{AWS::Partition}:[a-z-]+:" + region.code() + ":.*");
        }
      }
    }
    assertThat(secrets).isGreaterThan(5);
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void bothServicesScaleAndAlarm(Region region) {
    Template template = Synthesized.region(region);
    Map<String, Map<String, Object>> targets =
        Cfn.resources(template, "AWS::ApplicationAutoScaling::ScalableTarget");
    assertThat(targets).hasSize(2);
    assertThat(targets.values())
        .allSatisfy(t -> assertThat(t).containsEntry("MinCapacity", 2).containsKey("MaxCapacity"));
    // CPU for both, requests per target for the listener.
    template.resourceCountIs("AWS::ApplicationAutoScaling::ScalingPolicy", 3);
    Map<String, Map<String, Object>> alarms = Cfn.resources(template, "AWS::CloudWatch::Alarm");
    assertThat(alarms.keySet())
        .anyMatch(id -> id.startsWith("ListenerNoHealthyTask"))
        .anyMatch(id -> id.startsWith("ListenerServerErrors"))
        .anyMatch(id -> id.startsWith("ListenerSlowAnswers"))
        .anyMatch(id -> id.startsWith("RegistrationNoHealthyTask"))
        .anyMatch(id -> id.startsWith("RegistrationServerErrors"))
        .anyMatch(id -> id.startsWith("ListenerTasksMissing"))
        .anyMatch(id -> id.startsWith("RegistrationTasksMissing"));
    // A crashed task takes its collector along: ECS's own counts say a task is missing.
    assertThat(alarms.entrySet())
        .filteredOn(e -> e.getKey().contains("TasksMissing"))
        .hasSize(2)
        .allSatisfy(
            e ->
                assertThat(e.getValue().get("Metrics").toString())
                    .contains("ECS/ContainerInsights")
                    .contains("RunningTaskCount")
                    .contains("DesiredTaskCount"));
    assertThat(alarms.values())
        .allSatisfy(
            a -> assertThat(Cfn.text(list(a.get("AlarmActions")).get(0))).contains("Alarms"));
    for (Map<String, Object> group : Cfn.resources(template, "AWS::Logs::LogGroup").values()) {
      assertThat(group).containsKey("RetentionInDays");
    }
  }
}
