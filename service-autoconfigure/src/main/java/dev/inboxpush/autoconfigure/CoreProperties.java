package dev.inboxpush.autoconfigure;

import dev.inboxpush.model.Region;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code inboxpush.*}: what every instance must know about itself.
 *
 * @param region the region this instance serves, and the DynamoDB replica it uses: {@code
 *     us-east-1}, {@code eu-west-1} or {@code ap-southeast-1}. Required
 */
@ConfigurationProperties("inboxpush")
@Validated
public record CoreProperties(@NotNull Region region) {}
