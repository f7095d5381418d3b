package dev.inboxpush.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions with their reasons, written as the metadata cdk-nag reads ({@code cdk_nag:
 * rules_to_suppress}) on every CloudFormation resource under a construct. Writing the metadata
 * keeps cdk-nag itself out of the app's class path: the tests run it.
 *
 * <p>All of a resource's suppressions go in one call: a second call on the same resource fails
 * rather than silently replacing the first.
 */
final class Nag {

  private Nag() {}

  /** One suppressed rule; {@code appliesTo} narrows it to named findings (IAM5's wildcards). */
  record Rule(String id, String reason, List<String> appliesTo) {
    Rule {
      appliesTo = List.copyOf(appliesTo);
      if (reason.length() < 40) {
        throw new IllegalArgumentException(id + ": say why the rule does not apply here");
      }
    }

    Map<String, Object> metadata() {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", id);
      entry.put("reason", reason);
      if (!appliesTo.isEmpty()) {
        entry.put("applies_to", appliesTo);
      }
      return entry;
    }
  }

  static Rule rule(String id, String reason, String... appliesTo) {
    return new Rule(id, reason, List.of(appliesTo));
  }

  static void suppress(IConstruct scope, String id, String reason) {
    suppress(scope, rule(id, reason));
  }

  static void suppress(IConstruct scope, Rule... rules) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Rule rule : rules) {
      entries.add(rule.metadata());
    }
    int resources = 0;
    for (IConstruct child : scope.getNode().findAll()) {
      if (child instanceof CfnResource resource) {
        if (resource.getMetadata("cdk_nag") != null) {
          throw new IllegalStateException(
              resource.getNode().getPath() + " has cdk-nag suppressions already: one call each");
        }
        resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", entries));
        resources++;
      }
    }
    if (resources == 0) {
      throw new IllegalStateException(
          scope.getNode().getPath() + " has no resource to suppress on");
    }
  }
}
