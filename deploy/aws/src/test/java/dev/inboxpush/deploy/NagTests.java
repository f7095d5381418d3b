package dev.inboxpush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * cdk-nag's AWS Solutions checks on every stack: no error and no warning left, every suppression
 * with its reason in the code ({@link Nag}).
 */
class NagTests {

  // Annotations hands out cxapi.SynthesisMessage, deprecated with the whole cxapi module; there is
  // no other type to read findings as.
  @SuppressWarnings("deprecation")
  @Test
  void awsSolutionsChecksFindNothingUnjustified() {
    for (Map.Entry<String, Annotations> stack : Synthesized.app().annotations.entrySet()) {
      List<SynthesisMessage> errors =
          stack.getValue().findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
      List<SynthesisMessage> warnings =
          stack.getValue().findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
      assertThat(errors.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList())
          .as("errors in %s", stack.getKey())
          .isEmpty();
      assertThat(warnings.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList())
          .as("warnings in %s", stack.getKey())
          .isEmpty();
    }
  }

  /** CDK's own warnings (a metric period overridden, a deprecated property) are defects too. */
  @SuppressWarnings("deprecation")
  @Test
  void cdkItselfWarnsOfNothing() {
    for (Map.Entry<String, Annotations> stack : Synthesized.app().annotations.entrySet()) {
      assertThat(
              stack.getValue().findWarning("*", Match.anyValue()).stream()
                  .map(m -> m.getId() + ": " + m.getEntry().getData())
                  .toList())
          .as("warnings in %s", stack.getKey())
          .isEmpty();
    }
  }

  /** The check above could pass by checking nothing: here the same checks find a bare bucket. */
  @SuppressWarnings("deprecation")
  @Test
  void theChecksDoFlagWhatTheyShould() {
    App app = new App();
    Stack stack =
        new Stack(
            app,
            "Bare",
            StackProps.builder().env(Environment.builder().region("eu-west-1").build()).build());
    new Bucket(stack, "Bucket");
    Aspects.of(app).add(new AwsSolutionsChecks());
    Annotations annotations = Annotations.fromStack(stack);
    assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-S10.*")).size())
        .isEqualTo(1);
  }

  @Test
  void aSuppressionWithoutAReasonIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Nag.rule("AwsSolutions-S1", "because"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("say why");
  }
}
