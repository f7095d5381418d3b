package dev.inboxpush.listener;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the listener service. */
@SpringBootApplication
public class ListenerApplication {

  public static void main(String[] args) {
    SpringApplication.run(ListenerApplication.class, args);
  }
}
