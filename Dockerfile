# syntax=docker/dockerfile:1
# The securetx image: the jar built with the Maven Wrapper on a JDK, run on a JRE as an
# unprivileged user. See README.md, "Containers".
#
#   docker build -t securetx:0.1.0-SNAPSHOT .
#   docker run --rm securetx:0.1.0-SNAPSHOT --version
#   docker compose up -d          # compose.yaml: API, worker, PostgreSQL, Redis, a mail catcher

ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

# ---------------------------------------------------------------------------------------------
FROM ${JDK_IMAGE} AS build
WORKDIR /src

# The build's definition first: the dependency download below is a layer of its own, reused until
# a pom or the wrapper changes. Every module's pom is needed, since the parent lists them all.
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY securetx-core/pom.xml securetx-core/
COPY securetx-tasks/pom.xml securetx-tasks/
COPY securetx-app/pom.xml securetx-app/
COPY securetx-bench/pom.xml securetx-bench/
RUN ./mvnw -B -q -pl securetx-app -am \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline -DexcludeReactor=true

# Then the sources (.dockerignore keeps out target/, data/, secrets and the like). Tests are
# compiled (the app's tests need the core's test jar) but not run here: `./mvnw verify` runs them.
COPY . .
RUN ./mvnw -B -q -pl securetx-app -am package -DskipTests

# SQLite's native library, taken out of the jar now so that the running container never loads code
# from a writable directory: the root file system can be read-only and /tmp mounted noexec.
RUN set -eu; \
    case "$(uname -m)" in \
      x86_64) native=Linux/x86_64 ;; \
      aarch64) native=Linux/aarch64 ;; \
      *) echo "no SQLite native library for $(uname -m)" >&2; exit 1 ;; \
    esac; \
    mkdir -p /out/native; cd /out/native; \
    jar xf /src/securetx-app/target/securetx.jar "org/sqlite/native/$native/libsqlitejdbc.so"; \
    mv "org/sqlite/native/$native/libsqlitejdbc.so" .; rm -r org; \
    cp /src/securetx-app/target/securetx.jar /src/deploy/image/healthcheck /out/

# ---------------------------------------------------------------------------------------------
FROM ${JRE_IMAGE}

LABEL org.opencontainers.image.title="securetx" \
      org.opencontainers.image.description="A secure transaction processor for the JVM." \
      org.opencontainers.image.version="0.1.0-SNAPSHOT"

# A fixed uid/gid, so volumes, secrets and Kubernetes' runAsUser can name it. The data directory is
# the only place it may write; the application files stay root's and read-only.
RUN groupadd --system --gid 10001 securetx \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/securetx --no-create-home \
      --shell /usr/sbin/nologin securetx \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/securetx

COPY --from=build /out/securetx.jar /opt/securetx/securetx.jar
COPY --from=build /out/native/libsqlitejdbc.so /opt/securetx/native/libsqlitejdbc.so
COPY --from=build --chmod=0755 /out/healthcheck /opt/securetx/healthcheck

ENV SECURETX_DATA_DIR=/var/lib/securetx \
    LANG=C.UTF-8
WORKDIR /var/lib/securetx
VOLUME /var/lib/securetx
USER 10001:10001
EXPOSE 8080

# bash's /dev/tcp, no curl: see deploy/image/healthcheck. A worker container has no HTTP port;
# compose.yaml turns the check off there.
HEALTHCHECK --interval=30s --timeout=6s --start-period=60s --retries=3 \
  CMD ["/opt/securetx/healthcheck", "/healthz"]

# Container-aware heap (75 % of the memory limit), exit at once on OutOfMemoryError so that the
# orchestrator restarts a clean process, no hsperfdata file in /tmp.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", \
            "-Dorg.sqlite.lib.path=/opt/securetx/native", "-Dorg.sqlite.lib.name=libsqlitejdbc.so", \
            "-jar", "/opt/securetx/securetx.jar"]
CMD ["serve"]
