# syntax=docker/dockerfile:1
# A static pomlint on distroless/static (CA certificates, tzdata, a nonroot
# user; no shell). Build:
#   docker build --build-arg VERSION=$(git describe --tags --always) -t pomlint .
# Run (mount the repository holding .pomlint.yaml; pass tokens as env):
#   docker run --rm -v "$PWD:/work" -w /work -e GITHUB_TOKEN pomlint lint

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
ARG DATE=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/pomlint/pomlint/internal/cli.version=${VERSION} -X github.com/pomlint/pomlint/internal/cli.commit=${COMMIT} -X github.com/pomlint/pomlint/internal/cli.date=${DATE}" \
      -o /out/pomlint ./cmd/pomlint

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pomlint /usr/local/bin/pomlint
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/pomlint"]
CMD ["--help"]
