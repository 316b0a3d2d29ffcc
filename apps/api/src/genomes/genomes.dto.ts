/** Request bodies and queries of the genome endpoints (class-validator + Swagger). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class InstallGenomeDto {
  @ApiProperty({
    description: 'http(s) URL of a prebuilt index tarball (.tar or .tar.gz)',
    example: 'https://example.org/GRCh38.bwa.tar.gz',
  })
  @IsString()
  @MaxLength(4096)
  tar_url!: string;

  @ApiPropertyOptional({ description: 'Expected SHA-256 of the tarball (64 hex digits)' })
  @IsOptional()
  @IsString()
  @Matches(/^\s*[0-9a-fA-F]{64}\s*$/, { message: 'sha256 must be 64 hexadecimal digits' })
  sha256?: string;
}

export class GenomeLogQuery {
  @ApiPropertyOptional({ description: 'A specific genome job (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  job_id?: number;

  @ApiPropertyOptional({ description: 'Only the last N lines', minimum: 1, maximum: 100000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  tail?: number;
}
