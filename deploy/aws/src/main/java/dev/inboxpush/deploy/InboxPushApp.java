package dev.inboxpush.deploy;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/**
 * The CDK app: {@code InboxPush-Global} (the table and the owner-hash key), {@code
 * InboxPush-Monitoring} (the one Prometheus workspace, its rules and alerts) and {@code
 * InboxPush-<region>} for each region, each depending on the other two.
 *
 * <p>{@code main} synthesizes into {@code cdk.out} (or {@code CDK_OUTDIR}), which {@code cdk deploy
 * --app cdk.out} deploys; the settings come from the context ({@link Deployment#fromContext}).
 */
public final class InboxPushApp {

  private InboxPushApp() {}

  /** Defines every stack in {@code app}; returns them, the global and monitoring ones first. */
  static List<Stack> define(App app, Deployment deployment) {
    List<Stack> stacks = new ArrayList<>();
    GlobalStack global = new GlobalStack(app, "InboxPush-Global", deployment);
    stacks.add(global);
    MonitoringStack monitoring = new MonitoringStack(app, "InboxPush-Monitoring");
    stacks.add(monitoring);
    for (Region region : Region.values()) {
      RegionStack stack =
          new RegionStack(app, "InboxPush-" + region.code(), region, deployment, monitoring);
      // The table, the owner-hash key, the remote-write URL and policy exist first (the URL's
      // cross-region reference would add the monitoring dependency by itself).
      stack.getNode().addDependency(global);
      stack.getNode().addDependency(monitoring);
      stacks.add(stack);
    }
    return stacks;
  }

  public static void main(String[] args) {
    App app = new App();
    define(app, Deployment.fromContext(app.getNode()));
    app.synth();
  }
}
