package dev.inboxpush.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever text arrives, validation either yields a value or throws {@link InvalidValueException}
 * naming the field, never anything else, and never echoes the input in its message.
 */
class ValidationPropertyTests {

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(600),
        Arbitraries.strings().withCharRange('0', 'z').ofMinLength(1).ofMaxLength(120),
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(10).ofMaxLength(450),
        Arbitraries.strings().withChars("abcXYZ019-_:.=/+ \t\n\u0000\u00e9\u202e").ofMaxLength(80));
  }

  /**
   * @param stored builds the value and returns the text it keeps: an accepted value keeps what it
   *     was given (hex values, APNs tokens and owner hashes, in lower case), never something else
   */
  private static void onlyDomainErrors(String field, Function<String, String> stored, String text) {
    try {
      String kept = stored.apply(text);
      assertThat(kept).isEqualToIgnoringCase(text);
      if (!field.equals("deviceToken") && !field.equals("owner")) {
        assertThat(kept).isEqualTo(text);
      }
    } catch (InvalidValueException e) {
      assertThat(e.field()).isEqualTo(field);
      if (text.length() > 8) {
        assertThat(e.getMessage()).doesNotContain(text);
      }
    }
  }

  @Property
  void apnsTokens(@ForAll("anyText") String text) {
    onlyDomainErrors("deviceToken", t -> DeviceToken.of(Platform.APNS, t).value(), text);
  }

  @Property
  void fcmTokens(@ForAll("anyText") String text) {
    onlyDomainErrors("deviceToken", t -> DeviceToken.of(Platform.FCM, t).value(), text);
  }

  @Property
  void callbackTokens(@ForAll("anyText") String text) {
    onlyDomainErrors("callbackToken", t -> CallbackToken.parse(t).value(), text);
  }

  @Property
  void opaqueIds(@ForAll("anyText") String text) {
    onlyDomainErrors("subscriptionId", t -> SubscriptionId.of(t).value(), text);
    onlyDomainErrors("inboxFolderId", t -> FolderId.of(t).value(), text);
    onlyDomainErrors("watermark", t -> Watermark.of(t).value(), text);
    onlyDomainErrors("appId", t -> AppId.of(t).value(), text);
    onlyDomainErrors("registrationId", t -> RegistrationId.of(t).value(), text);
    onlyDomainErrors("owner", t -> OwnerHash.of(t).value(), text);
  }

  @Property
  void acceptedApnsTokensAreLowerCaseHexOfEvenLength(@ForAll("anyText") String text) {
    try {
      DeviceToken token = DeviceToken.of(Platform.APNS, text);
      assertThat(token.value()).matches("([0-9a-f]{2})+");
      assertThat(token.toString()).doesNotContain(token.value());
    } catch (InvalidValueException expected) {
      // rejected input: covered by apnsTokens
    }
  }
}
