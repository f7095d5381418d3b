package dev.inboxpush.deploy;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;

/**
 * The whole app synthesized once per test JVM (jsii's start is most of the cost) with cdk-nag's AWS
 * Solutions checks applied, for the tests to inspect.
 */
final class Synthesized {

  static final Deployment DEPLOYMENT =
      new Deployment(
          "push.example.net",
          "Z0123456789ABCDEFGHIJ",
          "https://login.example.net",
          "0.1.0-abc1234",
          "inboxpush",
          false,
          List.of(new Deployment.ApnsApp("com.example.mail", "ABC123DEFG", "DEF123GHIJ")),
          List.of("com.example.legacy"),
          List.of("example-mail"),
          Deployment.DEFAULT_COLLECTOR_IMAGE,
          // Set, so that the tests see it mapped (unset, the listener's own default applies).
          Duration.ofMinutes(2));

  private static final Synthesized INSTANCE = new Synthesized();

  final Map<String, Template> templates = new LinkedHashMap<>();
  final Map<String, Annotations> annotations = new LinkedHashMap<>();

  private Synthesized() {
    // CDK_OUTDIR (set by the build) keeps cdk.out inside target/.
    App app = new App(AppProps.builder().outdir(System.getenv("CDK_OUTDIR")).build());
    List<Stack> stacks = InboxPushApp.define(app, DEPLOYMENT);
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    for (Stack stack : stacks) {
      templates.put(stack.getStackName(), Template.fromStack(stack));
      annotations.put(stack.getStackName(), Annotations.fromStack(stack));
    }
  }

  static Synthesized app() {
    return INSTANCE;
  }

  static Template global() {
    return INSTANCE.templates.get("InboxPush-Global");
  }

  static Template monitoring() {
    return INSTANCE.templates.get("InboxPush-Monitoring");
  }

  static Template region(Region region) {
    return INSTANCE.templates.get("InboxPush-" + region.code());
  }
}
