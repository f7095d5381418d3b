package dev.inboxpush.deploy;

import static dev.inboxpush.deploy.Cfn.list;
import static dev.inboxpush.deploy.Cfn.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Route 53 across the three stacks: every region's listener hostname has exactly one PRIMARY record
 * (its own load balancer) and one SECONDARY (the next region's), both aliases that evaluate the
 * load balancer's target health, so callbacks keep working when a region's listener is down.
 */
class FailoverTests {

  record Row(Region stack, String name, String failover, String target, boolean evaluates) {}

  private static List<Row> records() {
    List<Row> rows = new ArrayList<>();
    for (Region region : Region.values()) {
      for (Map<String, Object> record :
          Cfn.resources(Synthesized.region(region), "AWS::Route53::RecordSet").values()) {
        Map<String, Object> alias = map(record.get("AliasTarget"));
        rows.add(
            new Row(
                region,
                (String) record.get("Name"),
                (String) record.getOrDefault("Failover", ""),
                Cfn.text(alias.get("DNSName")),
                Boolean.TRUE.equals(alias.get("EvaluateTargetHealth"))));
      }
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void eachListenerHostnameFailsOverToTheNextRegion(Region region) {
    String host = "mailboxlistener." + region.code() + ".push.example.net.";
    List<Row> rows = records().stream().filter(r -> r.name().equals(host)).toList();
    assertThat(rows).hasSize(2).allMatch(Row::evaluates);
    assertThat(rows)
        .filteredOn(r -> r.failover().equals("PRIMARY"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.stack()).isEqualTo(region);
              assertThat(r.target()).contains("ListenerAlb");
            });
    assertThat(rows)
        .filteredOn(r -> r.failover().equals("SECONDARY"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.stack()).isEqualTo(region.backup()).isNotEqualTo(region);
              assertThat(r.target()).contains("ListenerAlb");
            });
  }

  @ParameterizedTest
  @EnumSource(Region.class)
  void theListenerCertificateCoversTheHostnameItStandsInFor(Region region) {
    Map<String, Object> certificate =
        Cfn.one(
            Synthesized.region(region),
            "AWS::CertificateManager::Certificate",
            "ListenerCertificate");
    assertThat(certificate.get("DomainName"))
        .isEqualTo("mailboxlistener." + region.code() + ".push.example.net");
    assertThat(list(certificate.get("SubjectAlternativeNames")))
        .contains("mailboxlistener." + region.backedUp().code() + ".push.example.net");
    assertThat(certificate.get("ValidationMethod")).isEqualTo("DNS");
  }

  @Test
  void theRegistrationApiHasOneHostnamePerRegion() {
    assertThat(records())
        .filteredOn(r -> r.name().startsWith("pushreg."))
        .extracting(r -> r.stack().code() + " " + r.name() + " " + r.failover().isEmpty())
        .containsExactlyInAnyOrder(
            "us-east-1 pushreg.us-east-1.push.example.net. true",
            "eu-west-1 pushreg.eu-west-1.push.example.net. true",
            "ap-southeast-1 pushreg.ap-southeast-1.push.example.net. true");
  }
}
