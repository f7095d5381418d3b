package dev.inboxpush.registration.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The API's settings. (Its readiness, the table's health, comes with the shared auto-configuration
 * in {@code service-autoconfigure}.)
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class ApiConfiguration {}
