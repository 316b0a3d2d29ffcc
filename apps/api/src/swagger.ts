/** OpenAPI document and Swagger UI at /docs (JSON at /docs-json). */
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SERVER_NAME, SERVER_VERSION } from '@qslam/common';
import { withErrorSchemas } from './common/api-docs';

const DESCRIPTION = `Backend of the qsLAM-PCR integration-site pipeline.

Create a run by uploading R1/R2 (POST /runs), start steps (POST /runs/{id}/{step}), follow
them (GET /runs/{id}/status, /runs/{id}/{step}/logs) and fetch results and files.

**Definitions.** Site position: 1-based coordinate of the host base joined to the LTR (the
5'-most aligned host base of R1: alignment start on +, alignment end on -); strand = strand of
the R1 alignment. Breakpoint: the 5' end of R2; a fragment is (site, breakpoint). Errors are
JSON {statusCode, error, message, details} naming the field, file or record at fault.`;

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(SERVER_NAME)
    .setDescription(DESCRIPTION)
    .setVersion(SERVER_VERSION)
    .build();
  return withErrorSchemas(SwaggerModule.createDocument(app, config));
}

export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app));
}
